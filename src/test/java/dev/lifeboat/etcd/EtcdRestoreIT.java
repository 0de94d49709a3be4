package dev.lifeboat.etcd;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER_2;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.EtcdService;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.SshdProcess;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd-restore and etcd-migration end to end: a real sshd on loopback is the "host", real etcd
 * members on it are stopped and started through the runbook's stop/start commands, and a second
 * person approves through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdRestoreIT {

  private static final int SOURCE_KEYS = 1000;
  private static final int OLD_KEYS = 25;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  Path temp;
  SshdProcess sshd;
  SshdProcess strangerSshd;
  EtcdProcess source;
  LifeboatApp lifeboat;
  Map<String, String> properties;
  String backupId;
  int targets;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    sshd = SshdProcess.start(temp.resolve("sshd"));
    strangerSshd = SshdProcess.start(temp.resolve("sshd-stranger"));
    source = EtcdProcess.startSingle(Files.createDirectories(temp.resolve("source")));
    EtcdSnapshotSuite.fill(source.clientEndpoints(), SOURCE_KEYS);
    Map<String, String> props = new HashMap<>(
        sshd.lifeboatProperties("etcd-host", temp.resolve("known_hosts"), sshd.knownHostsLine()));
    props.put("lifeboat.credentials.stranger-host.username", System.getProperty("user.name"));
    props.put("lifeboat.credentials.stranger-host.private-key-file", strangerSshd.clientKey().toString());
    properties = props;
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), props);
    backupId = snapshot();
  }

  @AfterAll
  void stop() {
    Servers.closeAll(lifeboat, source, sshd, strangerSshd);
  }

  @Test
  void approvedRestoreBringsEveryKeyAndKeepsTheOldDataAside() {
    EtcdService target = target();
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(target, Map.of("reason", "drill")));
    JsonNode task = awaitTask(runId);
    JsonNode evidence = task.get("evidence");
    assertThat(evidence.at("/target/memberCount").asInt()).isEqualTo(1);
    assertThat(evidence.at("/target/keyCount").asLong()).isEqualTo(OLD_KEYS);
    assertThat(evidence.at("/replacement/keyCount").asLong()).isEqualTo(SOURCE_KEYS);
    assertThat(evidence.at("/replacement/backupId").asText()).isEqualTo(backupId);
    assertThat(evidence.at("/replacement/archiveSha256").asText()).matches("[0-9a-f]{64}");
    assertThat(evidence.at("/replacement/checksumVerifiedOnHost").asText()).contains("sha256sum");
    assertThat(evidence.at("/replacement/age").asText()).isNotBlank();
    assertThat(evidence.at("/rollback/savedTo").asText()).startsWith(target.dataDir() + ".lifeboat-");
    assertThat(evidence.at("/warnings/0").asText()).contains("Loss of PKI");
    assertThat(evidence.get("requestedBy").asText()).isEqualTo(OPERATOR);
    assertThat(evidence.get("reason").asText()).isEqualTo("drill");
    assertThat(task.get("decidable").asBoolean()).isTrue();
    // Nothing destructive happened while waiting.
    assertThat(target.healthy()).isTrue();
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/old/")).isEqualTo(OLD_KEYS);

    assertThat(decide(APPROVER, task, "APPROVE", "checked with the team").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(SOURCE_KEYS);
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/old/")).isZero();
    assertThat(Etcdctl.get(target.clientUrl(), "/lifeboat-test/key-00042")).isEqualTo(EtcdSnapshotSuite.value(42));
    assertThat(Etcdctl.memberList(target.clientUrl())).hasSize(1);
    assertThat(run.at("/outputs/restoredKeyCount").asLong()).isEqualTo(SOURCE_KEYS);
    Path saved = Path.of(run.at("/outputs/savedDataDir").asText());
    assertThat(saved.resolve("member")).isDirectory();
    assertThat(steps(run)).containsEntry("Approve the restore", "COMPLETED")
        .containsEntry("Verify the target", "COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(lifeboat.get(APPROVER, "/api/tasks").json().findValues("runId").toString()).doesNotContain(runId);
  }

  @Test
  void theInitiatorCannotApproveAndARejectionChangesNothing() {
    EtcdService target = target();
    String revisionBefore = Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json");
    String runId = lifeboat.startRun(ADMIN, "etcd-restore", parameters(target, Map.of()));
    JsonNode task = awaitTask(runId);

    JsonNode own = lifeboat.get(ADMIN, "/api/tasks").json();
    JsonNode ownTask = find(own, runId);
    assertThat(ownTask.get("decidable").asBoolean()).isFalse();
    assertThat(ownTask.get("notDecidableReason").asText()).contains("you started run");
    LifeboatApp.Response refused = decide(ADMIN, task, "APPROVE", "mine");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("detail").asText()).contains("four-eyes");
    assertThat(decide(APPROVER, task, "REJECT", "").status()).as("a rejection needs a reason").isEqualTo(400);

    assertThat(decide(APPROVER, task, "REJECT", "wrong cluster").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "REJECTED", "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.get("message").asText()).contains("rejected by " + APPROVER).contains("wrong cluster");
    assertThat(decide(APPROVER_2, task, "APPROVE", "late").status()).isEqualTo(409);
    assertUnchanged(target, revisionBefore);
  }

  @Test
  void anExpiredApprovalChangesNothing() {
    EtcdService target = target();
    String revisionBefore = Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json");
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(target, Map.of("approvalTimeout", "PT3S")));
    awaitTask(runId);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "REJECTED", "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.get("message").asText()).contains("approval expired").contains("PT3S");
    assertUnchanged(target, revisionBefore);
  }

  @Test
  void aCorruptedArchiveIsRefusedBeforeAnyApproval() throws Exception {
    String corruptId = snapshot();
    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + corruptId).json();
    Path archive = findArchive(corruptId);
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0xff);
    }
    EtcdService target = target();
    String revisionBefore = Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json");
    Map<String, Object> parameters = parameters(target, Map.of());
    parameters.put("backupId", corruptId);
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains(corruptId).contains("nothing on the target was changed");
    assertThat(backup.get("sha256").asText()).isNotBlank();
    assertThat(steps(run)).doesNotContainKey("Approve the restore");
    assertUnchanged(target, revisionBefore);
  }

  @Test
  void aThreeMemberClusterIsRefusedBeforeAnyApproval() throws Exception {
    try (EtcdProcess cluster = EtcdProcess.startCluster(Files.createDirectories(temp.resolve("scaled-" + targets++)), 3)) {
      EtcdProcess.Member member = cluster.member(0);
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("backupId", backupId);
      parameters.put("host", sshd.host());
      parameters.put("credentialRef", "etcd-host");
      parameters.put("dataDir", member.dataDir().toString());
      parameters.put("name", member.name());
      parameters.put("clientUrl", member.clientUrl());
      parameters.put("peerUrl", member.peerUrl());
      parameters.put("stopCommand", "false");
      parameters.put("startCommand", "false");
      String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters);
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
      assertThat(run.get("status").asText()).isEqualTo("FAILED");
      assertThat(run.get("message").asText()).contains("3 members").contains("scaled cluster will result in a broken cluster");
      assertThat(Etcdctl.memberList(cluster.clientEndpoints())).hasSize(3);
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedWithTheOfferedFingerprint() {
    EtcdService target = target();
    Map<String, Object> parameters = parameters(target, Map.of());
    parameters.put("host", strangerSshd.host());
    parameters.put("credentialRef", "stranger-host");
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("refused to connect").contains("is not in")
        .contains(strangerSshd.hostKeyFingerprint());
    assertThat(target.healthy()).isTrue();
  }

  @Test
  void aFailureAfterTheStopRollsBackToTheOldData() throws Exception {
    EtcdService target = target();
    String revisionBefore = Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json");
    Path failOnce = temp.resolve("fail-once-" + targets);
    Files.writeString(failOnce, "x");
    String startFailingOnce = "if [ -e " + failOnce + " ]; then rm " + failOnce
        + "; echo 'unit etcd failed to start' >&2; exit 3; fi; " + target.startCommand();
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore",
        parameters(target, Map.of("startCommand", startFailingOnce)));
    JsonNode task = awaitTask(runId);
    assertThat(decide(APPROVER, task, "APPROVE", "go").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "COMPLETED", "REJECTED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("unit etcd failed to start")
        .contains("rolled back to its previous data and verified");
    assertThat(steps(run)).containsEntry("Start the target", "FAILED").containsEntry("Roll back and verify", "COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("ROLLED_BACK_AND_VERIFIED");
    assertUnchanged(target, revisionBefore);
  }

  @Test
  void aRestoreIntoANewEmptyMemberNeedsNoApprovalAndRecordsTheProof() throws Exception {
    EtcdService target = target();
    target.run("stop");
    org.springframework.util.FileSystemUtils.deleteRecursively(target.dataDir());
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(target, Map.of()));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(run.at("/outputs/outcomeDetail").asText()).contains("without approval")
        .contains("no data directory at " + target.dataDir());
    assertThat(steps(run)).doesNotContainKey("Approve the restore").containsEntry("Verify the target", "COMPLETED");
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(SOURCE_KEYS);
    JsonNode audit = lifeboat.get(LifeboatApp.AUDITOR, "/api/audit?runId=" + runId + "&action=restore.finished").json();
    assertThat(audit.toString()).contains("RESTORED_AND_VERIFIED").contains("no data directory");
  }

  /**
   * Runbooks whose own IT proves the same (JujuHaRestoreIT: its jujuCommand starts every planned
   * command line; JujuClientBackupIT: the client restore's evidence lists jujuCommand and jujuDir;
   * DeisStoreIT: the deis-store-restore evidence, whose fixture needs servers this class does not
   * start), or that only read from hosts and have no approval to show it in (the backups).
   */
  private static final java.util.Set<String> CHECKED_ELSEWHERE = java.util.Set.of("juju-ha-restore",
      "juju-controller-backup", "juju-client-backup", "juju-client-restore", "deis-store-backup",
      "deis-store-restore");

  /**
   * Four-eyes protects only what the approver can read: every parameter that is a command or a
   * path appears, verbatim, in the evidence of every runbook with an approval. A runbook added
   * without a fixture here (or in CHECKED_ELSEWHERE, with the test that proves it) fails this test.
   */

  @Test
  void everyCommandAndPathParameterOfEveryRunbookIsShownToTheApprover() {
    Map<String, java.util.function.Function<EtcdService, Map<String, Object>>> fixtures = Map.of(
        "etcd-restore", target -> parameters(target, Map.of()),
        "etcd-migration", target -> {
          Map<String, Object> parameters = parameters(target, Map.of());
          parameters.remove("backupId");
          parameters.put("sourceEndpoints", source.clientEndpoints());
          return parameters;
        });
    for (JsonNode runbook : lifeboat.get(OPERATOR, "/api/runbooks").json()) {
      String id = runbook.get("id").asText();
      List<String> marked = new java.util.ArrayList<>();
      runbook.get("parameters").forEach(p -> {
        if (List.of("COMMAND", "PATH").contains(p.get("type").asText())) {
          marked.add(p.get("name").asText());
        }
      });
      if (marked.isEmpty() || CHECKED_ELSEWHERE.contains(id)) {
        continue;
      }
      assertThat(fixtures).as("runbook " + id + " takes commands or paths " + marked
          + ": add a fixture here that starts it, so the test proves the approver sees them").containsKey(id);
      EtcdService target = target();
      Map<String, Object> parameters = fixtures.get(id).apply(target);
      Map<String, String> markers = new LinkedHashMap<>();
      for (String name : marked) {
        String marker = "marker-" + name + "-" + targets;
        String value = name.endsWith("Command") ? ": " + marker + "; " + parameters.get(name)
            : name.equals("dataDir") ? target.dataDir().toString() : temp.resolve(marker).toString();
        parameters.put(name, value);
        markers.put(name, value);
      }
      String runId = lifeboat.startRun(OPERATOR, id, parameters);
      JsonNode evidence = awaitTask(runId).get("evidence");
      markers.forEach((name, value) -> {
        JsonNode setting = null;
        for (JsonNode candidate : evidence.get("parameters")) {
          if (candidate.get("name").asText().equals(name)) {
            setting = candidate;
          }
        }
        assertThat(setting).as(id + " evidence lists parameter " + name).isNotNull();
        assertThat(setting.get("value").asText()).isEqualTo(value);
        if (name.endsWith("Command")) {
          assertThat(evidence.get("commands").findValuesAsText("command")).as(id + " commands").contains(value);
          for (JsonNode command : evidence.get("commands")) {
            if (command.get("command").asText().equals(value)) {
              assertThat(command.get("operatorSupplied").asBoolean()).isTrue();
            }
          }
        }
      });
      assertThat(decide(APPROVER, awaitTask(runId), "REJECT", "walked").status()).isEqualTo(200);
      lifeboat.awaitRun(runId, RUN_TIMEOUT, "REJECTED", "FAILED", "COMPLETED");
    }
  }

  @Test
  void aMigrationBetweenTwoRealClustersEndsWithEqualKeyCounts() throws InterruptedException {
    EtcdService target = target();
    Map<String, Object> parameters = parameters(target, Map.of());
    parameters.remove("backupId");
    parameters.put("sourceEndpoints", source.clientEndpoints());
    int connectionsBefore = sshd.acceptedConnections().size();
    String runId = lifeboat.startRun(OPERATOR, "etcd-migration", parameters);
    JsonNode task = awaitTask(runId);
    assertThat(task.get("runbook").asText()).isEqualTo("etcd-migration");
    assertThat(decide(APPROVER_2, task, "APPROVE", "migration window").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    // Every host step of the run (the copy sent during the snapshot, checks, stop, apply, start, verify,
    // compare) shares one SSH connection, closed when the run ends.
    List<Integer> connections = sshd.acceptedConnections().subList(connectionsBefore, sshd.acceptedConnections().size());
    assertThat(connections).as("SSH connections the migration opened").hasSize(1);
    Instant deadline = Instant.now().plusSeconds(10);
    while (!sshd.connectionEnded(connections.getFirst()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(sshd.connectionEnded(connections.getFirst())).as("the run's connection closed when it ended").isTrue();
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    JsonNode outputs = run.get("outputs");
    assertThat(outputs.get("sourceKeyCount").asLong()).isEqualTo(SOURCE_KEYS);
    assertThat(outputs.get("targetKeyCount").asLong()).isEqualTo(SOURCE_KEYS);
    assertThat(outputs.get("targetRevision").asLong()).isEqualTo(outputs.get("sourceRevision").asLong());
    assertThat(outputs.get("clustersMatch").asBoolean()).isTrue();
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(SOURCE_KEYS);
    assertThat(steps(run)).containsEntry("Take the snapshot", "COMPLETED").containsEntry("Compare source and target", "COMPLETED");
    // The snapshot went to the host while it was archived; the restore checked that copy, then removed it.
    assertThat(stepMessage(run, "Put the artifact in place and verify it"))
        .contains("sent to").contains("while the snapshot was archived").contains("unchanged since");
    assertThat(stepMessage(run, "Restore the artifact")).contains("snapshot unchanged since sha256sum verified it");
    assertThat(target.dataDir().resolveSibling(".lifeboat-restore-" + runId)).doesNotExist();
    // The archive kept of the source is compressed at level 1 by default (XFL 4): the migration waits for it.
    byte[] archive = lifeboat.download(ADMIN, "/api/backups/" + outputs.get("backupId").asText() + "/content");
    assertThat(archive[8]).as("the gzip header's XFL").isEqualTo((byte) 4);
  }

  @Test
  void aMigrationRefusedByTheRestoreChecksRemovesTheCopySentDuringTheSnapshot() throws Exception {
    EtcdService target = target();
    String statusBefore = Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json");
    Path taken = Files.createDirectories(temp.resolve("already-there"));
    Map<String, Object> parameters = parameters(target, Map.of("target", taken.toString()));
    parameters.remove("backupId");
    parameters.put("sourceEndpoints", source.clientEndpoints());
    String runId = lifeboat.startRun(OPERATOR, "etcd-migration", parameters);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "COMPLETED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
    assertThat(stepMessage(run, "Take the snapshot")).contains("sent meanwhile to");
    assertThat(stepMessage(run, "Remove the copy on the target host")).startsWith("removed ");
    assertThat(target.dataDir().resolveSibling(".lifeboat-restore-" + runId)).doesNotExist();
    assertUnchanged(target, statusBefore);
  }

  @Test
  void aRunWaitingForApprovalWhenLifeboatRestartsIsInterruptedThenResumedAndApproved() {
    EtcdService target = target();
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(target, Map.of()));
    JsonNode before = awaitTask(runId);

    lifeboat.close();
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), properties);
    JsonNode interrupted = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
    assertThat(interrupted.get("status").asText()).isEqualTo("INTERRUPTED");
    assertThat(lifeboat.get(APPROVER, "/api/tasks").json().findValues("runId").toString()).doesNotContain(runId);
    assertThat(lifeboat.post(APPROVER, "/api/runs/" + runId + "/resume", Map.of()).status())
        .as("approvers do not resume runs").isEqualTo(403);

    LifeboatApp.Response resumed = lifeboat.post(OPERATOR, "/api/runs/" + runId + "/resume", Map.of());
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().get("message").asText()).contains("resumed by " + OPERATOR).contains("Approve the restore");
    JsonNode task = awaitTask(runId);
    assertThat(task.get("id").asLong()).isNotEqualTo(before.get("id").asLong());
    assertThat(lifeboat.post(OPERATOR, "/api/runs/" + runId + "/resume", Map.of()).status())
        .as("an active run is not resumed twice").isEqualTo(409);
    assertThat(decide(APPROVER, task, "APPROVE", "after the restart").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(SOURCE_KEYS);
    // Check and upload ran once, before the restart; the resumed instance started at the approval.
    JsonNode check = null;
    for (JsonNode step : run.get("steps")) {
      if (step.get("name").asText().equals("Check the target")) {
        check = step;
      }
    }
    assertThat(check).isNotNull();
    assertThat(check.get("attempts").asInt()).isEqualTo(1);
  }

  // --- helpers

  private String snapshot() {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", source.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    return run.at("/outputs/backupId").asText();
  }

  private EtcdService target() {
    EtcdService target = EtcdService.start(temp.resolve("target-" + targets++), "target" + targets);
    for (int i = 0; i < OLD_KEYS; i++) {
      Etcdctl.put(target.clientUrl(), "/old/key-" + i, "old-" + i);
    }
    return target;
  }

  private Map<String, Object> parameters(EtcdService target, Map<String, String> extra) {
    Map<String, Object> parameters = target.restoreParameters(sshd.host(), "etcd-host");
    parameters.put("backupId", backupId);
    parameters.putAll(extra);
    return parameters;
  }

  private JsonNode awaitTask(String runId) {
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      JsonNode task = find(lifeboat.get(APPROVER, "/api/tasks").json(), runId);
      if (task != null) {
        JsonNode run = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
        assertThat(run.get("status").asText()).isEqualTo("WAITING_FOR_APPROVAL");
        return task;
      }
      JsonNode run = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
      if (!List.of("RUNNING", "WAITING_FOR_APPROVAL").contains(run.get("status").asText())) {
        throw new AssertionError("run ended before its approval: " + run);
      }
      LifeboatApp.sleep(200);
    }
    throw new AssertionError("no approval task for run " + runId);
  }

  private static JsonNode find(JsonNode tasks, String runId) {
    for (JsonNode task : tasks) {
      if (runId.equals(task.get("runId").asText())) {
        return task;
      }
    }
    return null;
  }

  private LifeboatApp.Response decide(String user, JsonNode task, String decision, String comment) {
    return lifeboat.post(user, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", decision, "comment", comment));
  }

  private static Map<String, String> steps(JsonNode run) {
    Map<String, String> steps = new LinkedHashMap<>();
    run.get("steps").forEach(step -> steps.put(step.get("name").asText(), step.get("status").asText()));
    return steps;
  }

  private static String stepMessage(JsonNode run, String name) {
    for (JsonNode step : run.get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return step.path("message").asText();
      }
    }
    throw new AssertionError("no step '" + name + "' in " + run);
  }

  private static void assertUnchanged(EtcdService target, String statusBefore) {
    assertThat(target.healthy()).as("target still running").isTrue();
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/old/")).isEqualTo(OLD_KEYS);
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isZero();
    assertThat(revision(Etcdctl.run(target.clientUrl(), "endpoint", "status", "-w", "json")))
        .isEqualTo(revision(statusBefore));
  }

  private static String revision(String endpointStatusJson) {
    return endpointStatusJson.replaceAll("(?s).*\"revision\":(\\d+).*", "$1");
  }

  private Path findArchive(String id) throws Exception {
    try (var files = Files.walk(temp.resolve("lifeboat"))) {
      return files.filter(p -> p.getFileName().toString().equals(id + ".tar.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("archive of " + id + " not found"));
    }
  }
}
