package dev.lifeboat.juju;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * juju-ha-restore (1.x) against the stand-in juju behind the shared real sshd: refused while a
 * state server still votes; approved and brought back to three voting members; HA that never
 * gets there fails naming each member's state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JujuHaRestoreIT {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  LifeboatApp lifeboat;
  String host;

  @BeforeAll
  void start() {
    lifeboat = Shared.lifeboat();
    host = Shared.sshd().host();
  }

  @Test
  void refusedWhileAStateServerStillHasAVote() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("ha-voting"), JujuStandIn.JUJU_1, 3);
    String backupId = catalogued(juju);
    juju.set("machines", Map.of("0", Map.of("agent", "started", "vote", "has-vote"),
        "1", Map.of("agent", "down", "vote", "no-vote"), "2", Map.of("agent", "down", "vote", "no-vote")));

    JsonNode run = lifeboat.awaitRun(restore(juju, backupId, Map.of()), RUN_TIMEOUT, "FAILED");
    assertThat(run.get("message").asText()).contains("state servers remain: [machine 0: started, has-vote]")
        .contains("ensure-availability -n 3").contains("instead");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
    assertThat(juju.calls()).noneMatch(call -> call.contains("restore"));
  }

  @Test
  void approvedRestoreReachesThreeVotingMembers() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("ha-ok"), JujuStandIn.JUJU_1, 3);
    String backupId = catalogued(juju);
    juju.loseAllStateServers();
    var form = dev.lifeboat.testsupport.WebSession.loggedIn(lifeboat, OPERATOR).get("/runbooks/juju-ha-restore");
    assertThat(form.status()).isEqualTo(200);
    assertThat(form.body()).contains("value=\"" + backupId + "\"").contains("name=\"haCount\"")
        .contains("name=\"constraints\"").contains("name=\"jujuCommand\"");

    String typed = ": marker-jujuCommand; " + juju.command(); // the approver must see what the operator typed
    String runId = restore(juju, backupId, Map.of("constraints", "mem=4G", "reason", "all three lost",
        "jujuCommand", typed));
    JsonNode task = awaitTask(runId);
    JsonNode evidence = task.get("evidence");
    JsonNode setting = null;
    for (JsonNode candidate : evidence.get("parameters")) {
      setting = candidate.get("name").asText().equals("jujuCommand") ? candidate : setting;
    }
    assertThat(setting.get("value").asText()).isEqualTo(typed);
    assertThat(evidence.get("commands")).hasSize(4);
    for (JsonNode command : evidence.get("commands")) {
      if (!command.get("phase").asText().equals("clean up")) {
        assertThat(command.get("command").asText()).startsWith(typed + " ");
        assertThat(command.get("operatorSupplied").asBoolean()).isTrue();
      }
    }
    assertThat(evidence.get("warnings").toString()).contains(JujuHaRestoreTarget.OVERWRITE_WARNING);
    assertThat(evidence.at("/target/environment").asText()).startsWith("unreachable: ERROR Unable to connect");
    assertThat(evidence.at("/replacement/backupId").asText()).isEqualTo(backupId);
    assertThat(evidence.at("/replacement/jujuVersion").asText()).isEqualTo("1.25.6");
    assertThat(evidence.at("/replacement/checksumVerifiedOnHost").asText()).contains("sha256sum");
    assertThat(evidence.get("commands").toString()).contains("backups restore -b")
        .contains("--constraints=mem=4G").contains("ensure-availability -n 3");
    assertThat(juju.calls()).noneMatch(call -> call.contains("restore"));

    LifeboatApp.Response approved = lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "confirmed: all lost"));
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/votingMembers").asInt()).isEqualTo(3);
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(juju.restoredFrom()).containsEntry("constraints", "mem=4G");
    assertThat(juju.machines().values()).hasSize(3).allMatch(m -> m.get("vote").equals("has-vote"));
    assertThat(Path.of(juju.restoredFrom().get("file").toString()).getParent()).doesNotExist();
  }

  @Test
  void haThatNeverReachesThreeFailsNamingEachMember() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("ha-stuck"), JujuStandIn.JUJU_1, 3);
    String backupId = catalogued(juju);
    juju.loseAllStateServers();
    juju.set("haStuck", true);

    String runId = restore(juju, backupId, Map.of("haTimeout", "PT4S"));
    JsonNode task = awaitTask(runId);
    lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "go"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("1 of 3 members have a vote")
        .contains("machine 0: started, has-vote").contains("machine 1: started, adding-vote")
        .contains("machine 2: started, adding-vote");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("NOT_ROLLED_BACK");
  }

  @Test
  void juju3RestoresWithJujuRestoreOnThePrimaryAndEnablesHa() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("ha-3x"), JujuStandIn.JUJU_3, 3);
    String backupId = catalogued(juju);

    String runId = restore(juju, backupId, Map.of("reason", "controller database damaged"));
    JsonNode evidence = awaitTask(runId).get("evidence");
    assertThat(evidence.at("/target/controllerVersion").asText()).isEqualTo("3.1.6");
    assertThat(evidence.at("/target/machine 0").asText()).isEqualTo("ha-enabled (primary)");
    assertThat(evidence.at("/replacement/checksumVerifiedOnHost").asText()).contains("controller machine 0");
    assertThat(evidence.get("commands").toString()).contains("ssh -m controller 0 -- juju-restore --yes /tmp/lifeboat-")
        .contains("enable-ha -n 3").contains("status -m controller --format=json");
    assertThat(juju.calls()).noneMatch(call -> call.contains("juju-restore"));

    JsonNode task = awaitTask(runId);
    lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "same controller, checked"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/votingMembers").asInt()).isEqualTo(3);
    assertThat(juju.restoredFrom().get("file").toString()).startsWith("/tmp/lifeboat-juju-backup-");
    assertThat(Path.of(juju.restoredFrom().get("file").toString())).doesNotExist();
    assertThat(juju.calls()).anyMatch(call -> call.equals(List.of("enable-ha", "-n", "3")));
    String output = lifeboat.get(ADMIN, "/api/runs/" + runId + "/output?step=CallActivity_Restore/Task_Apply").body();
    assertThat(output).contains("Replica set is healthy     \u2713").contains("Database restore complete.");
  }

  @Test
  void juju3RefusalsComeBeforeTheApprovalInJujuRestoresWords() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("ha-3x-refused"), JujuStandIn.JUJU_3, 3);
    String backupId = catalogued(juju);
    juju.set("version", "3.2.0-genericlinux-amd64");

    JsonNode run = lifeboat.awaitRun(restore(juju, backupId, Map.of()), RUN_TIMEOUT, "FAILED");
    assertThat(run.get("message").asText()).contains("juju-restore would refuse: restoring backup would downgrade"
        + " from juju \"3.2.0\" to \"3.1.6\" - pass --allow-downgrade if this is intended");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
  }

  /** A backup of the stand-in's controller in the catalogue, uploaded as Juju wrote it. */
  private String catalogued(JujuStandIn juju) throws Exception {
    List<String> command = juju.state().get("version").asText().startsWith("1.")
        ? List.of(juju.command(), "backups", "create", "--no-download")
        : List.of(juju.command(), "create-backup", "--no-download");
    Process create = new ProcessBuilder(command).directory(juju.dir().toFile()).start();
    assertThat(create.waitFor()).isZero();
    JsonNode made = juju.state().get("backups").elements().next();
    LifeboatApp.Response uploaded = lifeboat.postBytes(OPERATOR, "/api/backups?kind=juju-controller-backup",
        Files.readAllBytes(Path.of(made.get("path").asText())));
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    return uploaded.json().get("id").asText();
  }

  private String restore(JujuStandIn juju, String backupId, Map<String, String> extra) {
    Map<String, String> parameters = new HashMap<>(extra);
    parameters.put("backupId", backupId);
    parameters.put("host", host);
    parameters.put("credentialRef", Shared.SSH_REF);
    parameters.putIfAbsent("jujuCommand", juju.command());
    return lifeboat.startRun(OPERATOR, "juju-ha-restore", parameters);
  }

  private JsonNode awaitTask(String runId) {
    return JujuTestSupport.awaitTask(lifeboat, runId, RUN_TIMEOUT);
  }
}
