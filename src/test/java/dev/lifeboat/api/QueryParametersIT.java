package dev.lifeboat.api;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import dev.lifeboat.testsupport.WebSession;
import dev.lifeboat.testsupport.WebSession.Page;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query parameter no endpoint reads is refused with 400 naming it and the accepted ones (a
 * mistyped audit filter must not return the whole trail); every documented parameter still works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryParametersIT {

  private static final String SHA = "0".repeat(64);

  LifeboatApp lifeboat;
  String runId;

  @BeforeAll
  void start(@TempDir Path temp) {
    lifeboat = LifeboatApp.start(temp, Map.of());
    runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next()));
  }

  @AfterAll
  void stop() {
    lifeboat.close();
  }

  @Test
  void aMistypedAuditFilterIsRefusedNamingTheAcceptedOnes() {
    Response refused = lifeboat.get(AUDITOR, "/api/audit?run=" + runId);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.headers().get("content-type")).anyMatch(type -> type.startsWith("application/problem+json"));
    JsonNode problem = refused.json();
    assertThat(problem.get("title").asText()).isEqualTo("Unknown query parameter");
    assertThat(problem.get("detail").asText())
        .isEqualTo("unknown query parameter 'run'; GET /api/audit accepts actor, runId, runbook, action, from, to, page, size");
    assertThat(problem.get("unknown").toString()).isEqualTo("[\"run\"]");
    assertThat(problem.get("accepted").toString()).contains("\"runId\"");

    Response filtered = lifeboat.get(AUDITOR, "/api/audit?runId=" + runId);
    assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
    assertThat(filtered.json().get("events").findValues("runId")).isNotEmpty()
        .allMatch(id -> id.asText().equals(runId));
  }

  @Test
  void unknownParametersAreRefusedOnEveryKindOfEndpoint() {
    Response runs = lifeboat.get(OPERATOR, "/api/runs?bogus=1&status=FAILED&limt=5");
    assertThat(runs.status()).as(runs.toString()).isEqualTo(400);
    assertThat(runs.json().get("detail").asText())
        .isEqualTo("unknown query parameters 'bogus', 'limt'; GET /api/runs accepts runbook, status, limit, offset");
    assertThat(lifeboat.get(OPERATOR, "/api/runs/" + runId + "?verbose=true").json().get("detail").asText())
        .isEqualTo("unknown query parameter 'verbose'; GET /api/runs/{id} accepts no query parameters");
    // A POST's JSON body is not looked at, its query string is.
    Response start = lifeboat.post(OPERATOR, "/api/runs?dryRun=true", Map.of("runbook", "etcd-snapshot",
        "parameters", Map.of("endpoints", "http://127.0.0.1:1")));
    assertThat(start.status()).as(start.toString()).isEqualTo(400);
    assertThat(start.json().get("unknown").toString()).isEqualTo("[\"dryRun\"]");
    // A mistyped checksum on an upload would otherwise skip the transfer check.
    Response upload = lifeboat.postBytes(OPERATOR, "/api/backups?sha265=" + SHA, new byte[] {1});
    assertThat(upload.status()).isEqualTo(400);
    assertThat(upload.json().get("detail").asText()).contains("'sha265'").contains("accepts kind, sha256");
    assertThat(lifeboat.get(ADMIN, "/api/audit/verify?full=1").status()).isEqualTo(400);
    assertThat(lifeboat.get(APPROVER, "/api/tasks?mine=1").status()).isEqualTo(400);
    // Percent-encoded names are compared decoded.
    assertThat(lifeboat.get(AUDITOR, "/api/audit?run%49d=" + runId).status()).isEqualTo(200);
  }

  @Test
  void everyDocumentedParameterIsStillAccepted() {
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("/api/runbooks", OPERATOR);
    calls.put("/api/runs?runbook=etcd-snapshot&status=FAILED&limit=10&offset=0", AUDITOR);
    calls.put("/api/runs/" + runId, AUDITOR);
    calls.put("/api/runs/" + runId + "/output?step=Task_CheckCluster", AUDITOR);
    calls.put("/api/backups?kind=etcd-snapshot&limit=10&offset=0", AUDITOR);
    calls.put("/api/tasks", APPROVER);
    calls.put("/api/audit?actor=olivia&runId=" + runId + "&runbook=etcd-snapshot&action=run.started"
        + "&from=2026-01-01T00:00:00Z&to=2099-01-01T00:00:00Z&page=0&size=10", AUDITOR);
    calls.put("/api/audit/export?format=json&actor=olivia&runId=" + runId + "&runbook=etcd-snapshot"
        + "&action=run.started&from=2026-01-01T00:00:00Z&to=2099-01-01T00:00:00Z", AUDITOR);
    calls.put("/api/audit/verify", AUDITOR);
    calls.forEach((path, user) -> {
      Response response = lifeboat.get(user, path);
      assertThat(response.status()).as(path + ": " + response).isEqualTo(200);
    });
    for (String path : List.of("/api/backups/none", "/api/backups/none/content", "/api/tasks/1")) {
      assertThat(lifeboat.get(ADMIN, path).status()).as(path).isEqualTo(404);
    }
    // Checked, then refused for what the body is: the parameters themselves were fine.
    Response upload = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot&sha256=" + SHA, new byte[] {1});
    assertThat(upload.status()).isEqualTo(400);
    assertThat(upload.json().get("title").asText()).isEqualTo("Archive refused");
  }

  @Test
  void webPagesRefuseUnknownParametersTooButNotFormFields() {
    WebSession auditor = WebSession.loggedIn(lifeboat, AUDITOR);
    Page refused = auditor.get("/audit?run=" + runId);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("unknown query parameter &#39;run&#39;").contains("runId");
    assertThat(auditor.get("/audit?runId=" + runId + "&page=0").status()).isEqualTo(200);
    assertThat(auditor.get("/runs?runbook=etcd-snapshot&status=FAILED&page=0").status()).isEqualTo(200);
    assertThat(auditor.get("/runs?sort=asc").status()).isEqualTo(400);
    // Spring Security returns to the page asked for with ?continue; the login page reads ?error and ?logout.
    assertThat(auditor.get("/runs?continue").status()).isEqualTo(200);
    WebSession anonymous = new WebSession(lifeboat.baseUrl());
    assertThat(anonymous.get("/login?error").body()).contains("Wrong user name or password");
    assertThat(anonymous.get("/login?logout").body()).contains("You are logged out");

    // Form fields are the body, not the query string: a field no handler reads is no reason to refuse.
    WebSession operator = WebSession.loggedIn(lifeboat, OPERATOR);
    Page started = operator.post("/runbooks/etcd-snapshot",
        Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next(), "unused", "x"), true);
    assertThat(started.status()).as(started.toString()).isEqualTo(302);
  }
}
