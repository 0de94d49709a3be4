package dev.lifeboat.web;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import dev.lifeboat.testsupport.WebSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schedules pages over HTTP with a logged-in session: the form's preview of the next five slots
 * in the chosen zone, refusals next to the form, saving, pause and resume, the list; the retention
 * preview and the freshness table on the overview; read-only for an auditor.
 */
class SchedulePagesIT {

  @Test
  void anOperatorCreatesPreviewsPausesAndResumesASchedule() {
    LifeboatApp lifeboat = Shared.lifeboat();
    WebSession operator = WebSession.loggedIn(lifeboat, OPERATOR);

    WebSession.Page preview = operator.get("/schedules/preview?cron=30+2+*+*+*&timeZone=Europe/Berlin");
    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.body().split("<li>", -1)).hasSize(6);
    assertThat(preview.body()).contains("02:30:00 CET");
    assertThat(operator.get("/schedules/preview?cron=30+2+*+*&timeZone=UTC").body()).contains("has 4 fields");

    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", "web-nightly");
    form.put("runbook", "backup-prune");
    form.put("parameters", "{\"dryRun\": \"true\"}");
    form.put("cron", "61 2 * * *");
    form.put("timeZone", "Europe/Berlin");
    form.put("keepDaily", "P7D");
    form.put("keepWeekly", "P4W");
    form.put("keepMonthly", "P3M");
    form.put("keepOnDemand", "1");
    WebSession.Page refused = operator.post("/schedules", form, true);
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.body()).contains("The schedule was not saved").contains("cron: cron &#39;61 2 * * *&#39; is not valid");

    form.put("cron", "30 2 * * *");
    WebSession.Page saved = operator.post("/schedules", form, true);
    assertThat(saved.status()).as(saved.toString()).isEqualTo(302);
    String list = operator.get("/schedules").body();
    assertThat(list).contains("web-nightly").contains("30 2 * * *").contains("Europe/Berlin").contains("Pause");
    String id = lifeboat.get(AUDITOR, "/api/schedules").json().findValues("id").stream()
        .filter(n -> lifeboat.get(AUDITOR, "/api/schedules/" + n.asText()).json().get("name").asText().equals("web-nightly"))
        .findFirst().orElseThrow().asText();
    assertThat(operator.post("/schedules/" + id + "/pause", Map.of(), true).status()).isEqualTo(302);
    assertThat(operator.get("/schedules").body()).contains("paused").contains("Resume");
    assertThat(operator.post("/schedules/" + id + "/resume", Map.of(), true).status()).isEqualTo(302);
    assertThat(operator.get("/schedules/" + id).body()).contains("Next five slots").contains("Latest slots");

    assertThat(operator.get("/retention").status()).isEqualTo(200);
    assertThat(operator.get("/").body()).contains("Freshness");

    WebSession auditor = WebSession.loggedIn(lifeboat, AUDITOR);
    assertThat(auditor.get("/schedules").body()).contains("web-nightly").doesNotContain("New schedule");
    assertThat(auditor.post("/schedules/" + id + "/pause", Map.of(), true).status()).isEqualTo(403);
    assertThat(auditor.get("/schedules/new").status()).isEqualTo(403);
    assertThat(lifeboat.delete(OPERATOR, "/api/schedules/" + id).status()).isEqualTo(204);
  }
}
