package dev.lifeboat.web;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import dev.lifeboat.testsupport.WebSession;
import dev.lifeboat.testsupport.WebSession.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and credential parameters against a real Lifeboat: the API shows the kinds each takes,
 * the start form offers only backups of those kinds (newest first, with age and source) and only
 * credentials of the needed kind, and a backup or credentials of another kind are refused by the
 * API and the form alike, before anything starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartFormIT {

  private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]*)\"[^>]*>([^<]*)</option>");

  LifeboatApp lifeboat;
  Instant now = Instant.now();

  @BeforeAll
  void start(@TempDir Path temp) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("lifeboat.credentials.etcd-host.username", "ubuntu");
    props.put("lifeboat.credentials.etcd-host.private-key-file", temp.resolve("host.key").toString());
    props.put("lifeboat.credentials.other-host.username", "ubuntu");
    props.put("lifeboat.credentials.other-host.private-key-file", temp.resolve("other.key").toString());
    props.put("lifeboat.credentials.etcd-client.ca-file", temp.resolve("ca.crt").toString());
    props.put("lifeboat.credentials.half-host.username", "ubuntu");
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), props);

    BackupCatalog catalog = lifeboat.context().getBean(BackupCatalog.class);
    catalog.add(backup("20261128-120000.aaa", "etcd-snapshot", "aaa", Duration.ofDays(2).plusHours(1)));
    catalog.add(backup("20261130-090000.bbb", "etcd-snapshot", "bbb", Duration.ofHours(3).plusMinutes(5)));
    catalog.add(backup("20261130-113000.ccc", "etcd-snapshot", "ccc", Duration.ofMinutes(30)));
    catalog.add(backup("20261130-115000.ctl", "juju-controller-backup", "ctl", Duration.ofMinutes(10)));
  }

  @AfterAll
  void stop() {
    lifeboat.close();
  }

  private Backup backup(String id, String kind, String clusterId, Duration age) {
    Instant at = now.minus(age);
    return new Backup(id, kind, clusterId, "0".repeat(64), 1024, Map.of(), "/nowhere/" + id, Map.of(),
        null, OPERATOR, null, at, at, at);
  }

  @Test
  void theApiShowsTheKindsEachParameterTakes() {
    JsonNode runbooks = lifeboat.get(OPERATOR, "/api/runbooks").json();
    assertThat(kinds(runbooks, "etcd-snapshot", "credentialRef")).containsExactly("etcd-client");
    assertThat(kinds(runbooks, "etcd-restore", "backupId")).containsExactly("etcd-snapshot");
    assertThat(kinds(runbooks, "etcd-restore", "credentialRef")).containsExactly("ssh");
    assertThat(kinds(runbooks, "etcd-restore", "host")).isEmpty();
    assertThat(kinds(runbooks, "etcd-migration", "sourceCredentialRef")).containsExactly("etcd-client");
    assertThat(kinds(runbooks, "etcd-migration", "credentialRef")).containsExactly("ssh");
    for (JsonNode runbook : runbooks) {
      for (JsonNode parameter : runbook.get("parameters")) {
        List<String> fields = new ArrayList<>();
        parameter.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).contains("kinds")
            .isSubsetOf("name", "type", "required", "defaultValue", "description", "kinds");
      }
    }
  }

  @Test
  void theRestoreFormOffersOnlyEtcdSnapshotsNewestFirstAndOnlySshCredentials() {
    Page form = WebSession.loggedIn(lifeboat, OPERATOR).get("/runbooks/etcd-restore");
    assertThat(form.status()).isEqualTo(200);

    List<String[]> backups = options(form.body(), "backupId");
    assertThat(backups).extracting(o -> o[0])
        .containsExactly("", "20261130-113000.ccc", "20261130-090000.bbb", "20261128-120000.aaa");
    assertThat(backups.get(1)[1]).matches("20261130-113000\\.ccc \\(3\\d min ago, from ccc\\)");
    assertThat(backups.get(2)[1]).isEqualTo("20261130-090000.bbb (3 h ago, from bbb)");
    assertThat(backups.get(3)[1]).isEqualTo("20261128-120000.aaa (2 days ago, from aaa)");

    assertThat(options(form.body(), "credentialRef")).extracting(o -> o[0]).containsExactly("", "etcd-host", "other-host");
  }

  @Test
  void theSnapshotFormOffersOnlyEtcdClientCredentials() {
    Page form = WebSession.loggedIn(lifeboat, OPERATOR).get("/runbooks/etcd-snapshot");
    assertThat(options(form.body(), "credentialRef")).extracting(o -> o[0]).containsExactly("", "etcd-client");
  }

  @Test
  void aBackupOrCredentialsOfAnotherKindAreRefusedBeforeAnythingStarts() {
    int runsBefore = lifeboat.get(ADMIN, "/api/runs").json().size();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("backupId", "20261130-115000.ctl");
    parameters.put("host", "127.0.0.1:22");
    parameters.put("credentialRef", "etcd-client");
    parameters.put("dataDir", "/var/lib/etcd");
    parameters.put("name", "etcd0");
    parameters.put("peerUrl", "http://127.0.0.1:2380");
    Response refused = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-restore", "parameters", parameters));
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.json().get("errors")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
        "parameter 'backupId': backup 20261130-115000.ctl is a juju-controller-backup;"
            + " this parameter takes etcd-snapshot",
        "parameter 'credentialRef': credentials 'etcd-client' are not ssh credentials:"
            + " username and private-key-file are missing"
            + " (configure username and private-key-file under lifeboat.credentials.etcd-client)");

    parameters.put("credentialRef", "half-host");
    Map<String, String> form = new LinkedHashMap<>();
    parameters.forEach((k, v) -> form.put(k, String.valueOf(v)));
    WebSession operator = WebSession.loggedIn(lifeboat, OPERATOR);
    operator.get("/runbooks/etcd-restore");
    Page page = operator.post("/runbooks/etcd-restore", form, true);
    assertThat(page.status()).isEqualTo(400);
    assertThat(error(page.body(), "backupId"))
        .endsWith("backup 20261130-115000.ctl is a juju-controller-backup; this parameter takes etcd-snapshot");
    assertThat(error(page.body(), "credentialRef"))
        .contains("are not ssh credentials: private-key-file is missing", "lifeboat.credentials.half-host");

    assertThat(lifeboat.get(ADMIN, "/api/runs").json().size()).isEqualTo(runsBefore);
  }

  private static List<String> kinds(JsonNode runbooks, String runbook, String parameter) {
    for (JsonNode r : runbooks) {
      if (r.get("id").asText().equals(runbook)) {
        for (JsonNode p : r.get("parameters")) {
          if (p.get("name").asText().equals(parameter)) {
            List<String> kinds = new ArrayList<>();
            p.get("kinds").forEach(k -> kinds.add(k.asText()));
            return kinds;
          }
        }
      }
    }
    throw new AssertionError("no parameter " + parameter + " in " + runbook);
  }

  /** The options of the select named {@code name}, as [value, label]. */
  private static List<String[]> options(String html, String name) {
    int start = html.indexOf("<select id=\"" + name + "\"");
    assertThat(start).as("select " + name).isNotNegative();
    String select = html.substring(start, html.indexOf("</select>", start));
    List<String[]> options = new ArrayList<>();
    Matcher m = OPTION.matcher(select);
    while (m.find()) {
      options.add(new String[] {m.group(1), m.group(2)});
    }
    return options;
  }

  private static String error(String html, String name) {
    Matcher m = Pattern.compile("id=\"error-" + name + "\">([^<]*)<").matcher(html);
    assertThat(m.find()).as("error next to " + name).isTrue();
    return m.group(1).replace("&#39;", "'");
  }
}
