package dev.lifeboat.audit;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail of a real Lifeboat (H2 file database) while it snapshots a real etcd, handles the
 * backup and refuses a wrong password: what is recorded, by whom, how it is searched, exported and
 * verified, and that a row changed behind Lifeboat's back is found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  Path dataDir;
  EtcdProcess etcd;
  LifeboatApp lifeboat;
  String runId;
  String backupId;
  int stepCount;

  @BeforeAll
  void start(@TempDir Path temp) {
    dataDir = temp.resolve("lifeboat");
    etcd = EtcdProcess.startSingle(temp);
    Etcdctl.put(etcd.clientEndpoints(), "/audit/a", "1");
    lifeboat = LifeboatApp.start(dataDir, Map.of());

    runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints(), "notes", "audit"));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    stepCount = run.get("steps").size();
    awaitAudited("runId=" + runId + "&action=step.finished", stepCount);
    backupId = run.get("outputs").get("backupId").asText();

    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    assertThat(lifeboat.delete(OPERATOR_2, "/api/backups/" + backupId).status()).isEqualTo(204);
    Response upload = lifeboat.postBytes(OPERATOR_2, "/api/backups?kind=etcd-snapshot", archive);
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    assertThat(lifeboat.get(OPERATOR + ":wrong-password", "/api/runs").status()).isEqualTo(401);
  }

  @AfterAll
  void stop() {
    Servers.closeAll(lifeboat, etcd);
  }

  @Test
  @Order(1)
  void theRunItsStepsAndItsBackupAreRecordedWithTheirActors() {
    List<JsonNode> events = events(audit("runId=" + runId + "&size=500"));
    List<String> actions = events.stream().map(e -> e.get("action").asText()).toList();
    assertThat(actions.getLast()).isEqualTo("run.started");
    assertThat(actions).containsOnlyOnce("run.started", "run.finished", "backup.created");
    assertThat(actions).filteredOn("step.started"::equals).hasSize(stepCount);
    assertThat(actions).filteredOn("step.finished"::equals).hasSize(stepCount);
    assertThat(actions).contains("backup.created").doesNotContain("step.failed");

    JsonNode started = events.getLast();
    assertThat(started.get("actor").asText()).isEqualTo(OPERATOR);
    assertThat(started.get("runbook").asText()).isEqualTo("etcd-snapshot");
    assertThat(started.get("details").get("parameters").get("endpoints").asText()).isEqualTo(etcd.clientEndpoints());

    JsonNode finished = events.stream().filter(e -> e.get("action").asText().equals("run.finished")).findFirst().orElseThrow();
    assertThat(finished.get("actor").asText()).isEqualTo("lifeboat");
    assertThat(finished.get("details").get("status").asText()).isEqualTo("COMPLETED");

    for (JsonNode step : events.stream().filter(e -> e.get("action").asText().startsWith("step.")).toList()) {
      assertThat(step.get("actor").asText()).isEqualTo("lifeboat");
      assertThat(step.get("step").asText()).isNotBlank();
      assertThat(step.get("details").get("elementId").asText()).startsWith("Task_");
    }
    JsonNode created = events.stream().filter(e -> e.get("action").asText().equals("backup.created")).findFirst().orElseThrow();
    assertThat(created.get("actor").asText()).isEqualTo(OPERATOR);
    assertThat(created.get("runbook").asText()).isEqualTo("etcd-snapshot");
    assertThat(created.get("details").get("backupId").asText()).isEqualTo(backupId);
    assertThat(created.get("details").get("via").asText()).isEqualTo("run");

    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).get("seq").asLong()).isLessThan(events.get(i - 1).get("seq").asLong());
      assertThat(events.get(i).get("hash").asText()).matches("[0-9a-f]{64}");
    }
  }

  @Test
  @Order(2)
  void downloadDeleteAndUploadOfTheBackupAreRecordedWithWhoDidIt() {
    assertThat(only("action=backup.downloaded").get("actor").asText()).isEqualTo(OPERATOR);
    assertThat(only("action=backup.downloaded").get("details").get("backupId").asText()).isEqualTo(backupId);
    assertThat(only("action=backup.deleted").get("actor").asText()).isEqualTo(OPERATOR_2);
    assertThat(only("action=backup.uploaded").get("actor").asText()).isEqualTo(OPERATOR_2);
    JsonNode uploaded = events(audit("action=backup.created&actor=" + OPERATOR_2)).getFirst();
    assertThat(uploaded.get("details").get("via").asText()).isEqualTo("upload");
    assertThat(uploaded.get("details").get("backupId").asText()).isEqualTo(backupId);
  }

  @Test
  @Order(3)
  void aFailedLoginIsRecordedWithoutThePasswordAndBasicSuccessesAreNot() {
    JsonNode failed = only("action=login.failed");
    assertThat(failed.get("actor").asText()).isEqualTo(OPERATOR);
    assertThat(failed.get("details").get("reason").asText()).isEqualTo("BadCredentialsException");
    assertThat(failed.toString()).doesNotContain("wrong-password");
    assertThat(audit("action=login.succeeded").get("total").asLong()).isZero();
  }

  @Test
  @Order(4)
  void theFirstStartRecordsWhoMayLogIn() {
    JsonNode users = only("action=users.changed");
    assertThat(users.get("actor").asText()).isEqualTo("lifeboat");
    assertThat(users.get("details").get("added")).hasSize(6);
    assertThat(users.get("details").get("removed")).isEmpty();
    assertThat(users.toString()).contains("\"username\":\"audrey\",\"roles\":[\"AUDITOR\"]")
        .doesNotContain("secret", "noop");
  }

  @Test
  @Order(5)
  void filtersCombineAndPagesDoNotOverlap() {
    JsonNode steps = audit("runId=" + runId + "&action=step.finished");
    assertThat(steps.get("total").asLong()).isEqualTo(stepCount);

    List<JsonNode> ofRun = events(audit("runId=" + runId + "&size=500"));
    Instant first = Instant.parse(ofRun.getLast().get("time").asText());
    Instant last = Instant.parse(ofRun.getFirst().get("time").asText());
    JsonNode inWindow = audit("action=step.finished&from=" + first + "&to=" + last.plusNanos(1000));
    assertThat(inWindow.get("total").asLong()).isEqualTo(stepCount);
    assertThat(audit("action=step.finished&from=" + last.plusSeconds(1)).get("total").asLong()).isZero();
    assertThat(audit("runbook=etcd-snapshot&actor=" + OPERATOR).get("total").asLong()).isEqualTo(2); // started, created
    assertThat(audit("actor=nobody").get("total").asLong()).isZero();

    long total = audit("runId=" + runId).get("total").asLong();
    JsonNode page0 = audit("runId=" + runId + "&size=3&page=0");
    JsonNode page1 = audit("runId=" + runId + "&size=3&page=1");
    assertThat(page0.get("total").asLong()).isEqualTo(total);
    assertThat(page0.get("size").asInt()).isEqualTo(3);
    assertThat(page1.get("page").asInt()).isEqualTo(1);
    Set<Long> seqs = new HashSet<>();
    events(page0).forEach(e -> seqs.add(e.get("seq").asLong()));
    events(page1).forEach(e -> seqs.add(e.get("seq").asLong()));
    assertThat(seqs).hasSize(6);
    assertThat(events(page1).getFirst().get("seq").asLong()).isLessThan(events(page0).getLast().get("seq").asLong());
  }

  @Test
  @Order(6)
  void badQueriesAreRefusedSayingWhatToSend() {
    Response badTime = lifeboat.get(AUDITOR, "/api/audit?from=yesterday");
    assertThat(badTime.status()).isEqualTo(400);
    assertThat(badTime.headers().get("Content-Type").getFirst()).startsWith("application/problem+json");
    assertThat(badTime.json().get("detail").asText()).contains("'from'", "ISO-8601", "2026-11-21T14:30:00Z", "yesterday");
    Response badAction = lifeboat.get(AUDITOR, "/api/audit?action=run.start");
    assertThat(badAction.status()).isEqualTo(400);
    assertThat(badAction.json().get("detail").asText()).contains("run.started", "backup.downloaded");
    assertThat(lifeboat.get(AUDITOR, "/api/audit?size=501").json().get("detail").asText()).contains("500");
    assertThat(lifeboat.get(AUDITOR, "/api/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").status())
        .isEqualTo(400);
    Response badFormat = lifeboat.get(AUDITOR, "/api/audit/export?format=xml");
    assertThat(badFormat.status()).isEqualTo(400);
    assertThat(badFormat.json().get("detail").asText()).contains("csv or json");
  }

  @Test
  @Order(7)
  void csvAndJsonExportsHoldTheRunOldestFirst() throws Exception {
    Response csv = lifeboat.get(AUDITOR, "/api/audit/export?format=csv&runId=" + runId);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("Content-Type").getFirst()).startsWith("text/csv");
    assertThat(csv.headers().get("Content-Disposition").getFirst()).startsWith("attachment").contains(".csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0]).isEqualTo("seq,time,actor,action,runId,step,runbook,details,prevHash,hash");
    assertThat(lines).hasSize(1 + (int) audit("runId=" + runId).get("total").asLong());
    assertThat(lines[1]).contains("," + OPERATOR + ",run.started," + runId + ",,etcd-snapshot,\"{\"\"parameters\"\":");
    assertThat(lines).anyMatch(line -> line.contains(",lifeboat,run.finished," + runId + ",,etcd-snapshot,"));

    Response json = lifeboat.get(ADMIN, "/api/audit/export?format=json&runId=" + runId);
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.headers().get("Content-Disposition").getFirst()).contains(".json");
    JsonNode exported = JSON.readTree(json.body());
    assertThat(exported.size()).isEqualTo(lines.length - 1);
    assertThat(exported.get(0).get("action").asText()).isEqualTo("run.started");
    assertThat(exported.get(0).get("details").get("parameters").get("notes").asText()).isEqualTo("audit");
    for (int i = 1; i < exported.size(); i++) {
      assertThat(exported.get(i).get("seq").asLong()).isGreaterThan(exported.get(i - 1).get("seq").asLong());
      assertThat(exported.get(i).get("runId").asText()).isEqualTo(runId);
    }

    String everything = lifeboat.get(AUDITOR, "/api/audit/export?format=json").body();
    assertThat(JSON.readTree(everything).size()).isEqualTo(audit("").get("total").asInt());
    assertThat(everything).doesNotContain("wrong-password", "-secret");
  }

  @Test
  @Order(8)
  void concurrentAppendsFormOneChainAndSecretsAreMasked() throws Exception {
    AuditTrail trail = lifeboat.context().getBean(AuditTrail.class);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> appends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        appends.add(threads.submit(() -> trail.append(AuditEntry.of(AuditAction.BACKUP_DOWNLOADED, "test",
            Map.of("n", n, "password", "hunter2", "nested", Map.of("apiToken", "t0k"))))));
      }
      for (Future<?> append : appends) {
        append.get();
      }
    } finally {
      threads.shutdown();
    }
    JsonNode test = audit("actor=test&size=100");
    assertThat(test.get("total").asLong()).isEqualTo(100);
    assertThat(test.toString()).doesNotContain("hunter2", "t0k").contains("\"password\":\"[masked]\"");
    JsonNode verified = verify();
    assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("events").asLong()).isEqualTo(audit("").get("total").asLong());
  }

  @Test
  @Order(9)
  void restartsKeepTheChainRecordInterruptedRunsAndChangedUsersOnlyWhenTheyChange() throws Exception {
    String interrupted;
    long before;
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      interrupted = lifeboat.startRun(OPERATOR, "etcd-snapshot",
          Map.of("endpoints", "http://127.0.0.1:" + blackhole.getLocalPort()));
      awaitAudited("runId=" + interrupted + "&action=step.started", 1);
      before = audit("").get("total").asLong();
      lifeboat.close();
    }
    lifeboat = LifeboatApp.start(dataDir, Map.of());
    assertThat(audit("action=users.changed").get("total").asLong()).isEqualTo(1);
    JsonNode finished = only("action=run.finished&runId=" + interrupted);
    assertThat(finished.get("details").get("status").asText()).isEqualTo("INTERRUPTED");
    assertThat(finished.get("details").get("message").asText()).contains("restarted");
    assertThat(audit("").get("total").asLong()).isEqualTo(before + 1);

    lifeboat.close();
    lifeboat = LifeboatApp.start(dataDir, Map.of(
        "lifeboat.security.users[1].username", "otto",
        "lifeboat.security.users[2].roles", "APPROVER,AUDITOR"));
    JsonNode changed = events(audit("action=users.changed")).getFirst();
    assertThat(changed.get("details").get("added").toString()).isEqualTo("[{\"username\":\"otto\",\"roles\":[\"OPERATOR\"]}]");
    assertThat(changed.get("details").get("removed").toString()).isEqualTo("[{\"username\":\"oscar\",\"roles\":[\"OPERATOR\"]}]");
    assertThat(changed.get("details").get("rolesChanged").toString())
        .isEqualTo("[{\"username\":\"alice\",\"from\":[\"APPROVER\"],\"to\":[\"APPROVER\",\"AUDITOR\"]}]");
    assertThat(changed.get("details").get("users")).hasSize(6);
    assertThat(verify().get("valid").asBoolean()).isTrue();
  }

  @Test
  @Order(10)
  void verifyFindsTheFirstEventChangedRemovedOrRelinkedBehindLifeboatsBack() {
    JdbcTemplate db = new JdbcTemplate(lifeboat.context().getBean(DataSource.class));
    long total = verify().get("events").asLong();
    long seq = events(audit("runId=" + runId + "&action=run.started")).getFirst().get("seq").asLong();
    Map<String, Object> original = db.queryForMap("select * from audit_events where seq = ?", seq);

    // A changed actor: the event's own hash no longer matches.
    db.update("update audit_events set actor = 'mallory' where seq = ?", seq);
    JsonNode changed = verify();
    assertThat(changed.get("valid").asBoolean()).isFalse();
    assertThat(changed.get("brokenAt").asLong()).isEqualTo(seq);
    assertThat(changed.get("events").asLong()).isEqualTo(seq - 1);
    assertThat(changed.get("reason").asText()).isEqualTo("hash of event " + seq + " does not match its contents");
    db.update("update audit_events set actor = ? where seq = ?", original.get("ACTOR"), seq);
    assertThat(verify().get("valid").asBoolean()).isTrue();

    // Changed and re-hashed: the next event's link to it breaks.
    db.update("update audit_events set hash = ? where seq = ?", "f".repeat(64), seq);
    JsonNode relinked = verify();
    assertThat(relinked.get("brokenAt").asLong()).isEqualTo(seq);
    db.update("update audit_events set hash = ?, details = ? where seq = ?", AuditHash.of(seq,
        ((java.time.OffsetDateTime) original.get("OCCURRED_AT")).toInstant(), (String) original.get("ACTOR"),
        "run.started", runId, null, "etcd-snapshot", "{}", (String) original.get("PREV_HASH")), "{}", seq);
    relinked = verify();
    assertThat(relinked.get("brokenAt").asLong()).isEqualTo(seq + 1);
    assertThat(relinked.get("reason").asText()).contains("prev_hash of event " + (seq + 1), "link");
    db.update("update audit_events set hash = ?, details = ? where seq = ?", original.get("HASH"), original.get("DETAILS"), seq);

    // A removed event.
    db.update("delete from audit_events where seq = ?", seq);
    JsonNode removed = verify();
    assertThat(removed.get("brokenAt").asLong()).isEqualTo(seq);
    assertThat(removed.get("reason").asText()).isEqualTo("event " + seq + " is missing: the event after " + (seq - 1)
        + " is " + (seq + 1));
    db.update("insert into audit_events (seq, occurred_at, actor, action, run_id, step, runbook, details, prev_hash, hash)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", original.get("SEQ"), original.get("OCCURRED_AT"),
        original.get("ACTOR"), original.get("ACTION"), original.get("RUN_ID"), original.get("STEP"),
        original.get("RUNBOOK"), original.get("DETAILS"), original.get("PREV_HASH"), original.get("HASH"));

    JsonNode restored = verify();
    assertThat(restored.get("valid").asBoolean()).as(restored.toString()).isTrue();
    assertThat(restored.get("events").asLong()).isEqualTo(total);
    assertThat(restored.has("brokenAt")).isFalse();
  }

  /**
   * The last step's completion is recorded just after the engine moves on, so the run can be
   * COMPLETED a moment before its last step.finished event is there.
   */
  private void awaitAudited(String query, long count) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (audit(query).get("total").asLong() < count && Instant.now().isBefore(deadline)) {
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    }
    assertThat(audit(query).get("total").asLong()).as(query).isEqualTo(count);
  }

  private JsonNode verify() {
    Response response = lifeboat.get(AUDITOR, "/api/audit/verify");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private JsonNode audit(String query) {
    Response response = lifeboat.get(AUDITOR, "/api/audit?" + query.replace(":", URLEncoder.encode(":", StandardCharsets.UTF_8)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private JsonNode only(String query) {
    List<JsonNode> events = events(audit(query));
    assertThat(events).as(query).hasSize(1);
    return events.getFirst();
  }

  private static List<JsonNode> events(JsonNode page) {
    List<JsonNode> events = new ArrayList<>();
    page.get("events").forEach(events::add);
    return events;
  }
}
