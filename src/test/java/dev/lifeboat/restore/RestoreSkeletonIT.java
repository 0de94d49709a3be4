package dev.lifeboat.restore;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The restore skeleton (bpmn/restore/restore-target.bpmn) on the real embedded engine, over the
 * in-memory {@link FakePlatform}: every way a destructive restore can end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreSkeletonIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  LifeboatApp lifeboat;

  @BeforeAll
  void start() {
    lifeboat = Shared.lifeboat();
  }

  @Test
  void approvedReplacesTheDataAndKeepsTheOldAside() {
    String runId = start(Map.of("reason", "drill"));
    JsonNode task = awaitTask(runId);
    JsonNode evidence = task.get("evidence");
    assertThat(evidence.at("/target/data").asText()).isEqualTo("old");
    assertThat(evidence.at("/replacement/data").asText()).isEqualTo("new");
    assertThat(evidence.at("/replacement/checksumVerifiedOnHost").asText()).isEqualTo("abcd");
    assertThat(evidence.at("/replacement/age").asText()).startsWith("2 h");
    assertThat(evidence.at("/rollback/keepsExistingData").asBoolean()).isTrue();
    assertThat(evidence.at("/commands/0/operatorSupplied").asBoolean()).isTrue();
    assertThat(evidence.get("reason").asText()).isEqualTo("drill");
    assertThat(target(runId).running).as("nothing stopped while waiting").isTrue();

    decide(task, "APPROVE");
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(run.at("/outputs/restoredData").asText()).isEqualTo("new");
    assertThat(target(runId).data).isEqualTo("new");
    assertThat(target(runId).saved).isEqualTo("old");
    assertThat(target(runId).cleanedUp).isTrue();
  }

  @Test
  void aRejectionChangesNothing() {
    String runId = start(Map.of());
    JsonNode task = awaitTask(runId);
    assertThat(lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "REJECT", "comment", "not today")).status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "REJECTED", "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REJECTED");
    assertUntouched(runId);
    assertThat(target(runId).cleanedUp).as("what was put in place is removed").isTrue();
  }

  @Test
  void anExpiredApprovalChangesNothing() {
    String runId = start(Map.of("approvalTimeout", "PT2S"));
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "REJECTED", "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.get("message").asText()).contains("approval expired");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REJECTED");
    assertUntouched(runId);
  }

  @Test
  void aCorruptArtifactIsRefusedBeforeAnyApproval() {
    String runId = start(Map.of("corrupt", "true"));
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("hashes to 00ff");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
    assertThat(run.toString()).doesNotContain("Approve the restore");
    assertUntouched(runId);
  }

  @Test
  void aFailedPreconditionIsRefusedBeforeAnyApproval() {
    String runId = start(Map.of("failAt", "check"));
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("precondition failed");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
    assertUntouched(runId);
  }

  @Test
  void aFailureAfterTheStopRollsBackAndVerifies() {
    JsonNode run = approvedRun(Map.of("failAt", "apply"));
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("ROLLED_BACK_AND_VERIFIED");
    assertThat(run.get("message").asText()).contains("injected failure at apply")
        .contains("rolled back to its previous data and verified");
    assertUntouched(run.get("id").asText());
    JsonNode audit = lifeboat.get(AUDITOR, "/api/audit?runId=" + run.get("id").asText() + "&action=restore.finished")
        .json();
    assertThat(audit.toString()).contains("ROLLED_BACK_AND_VERIFIED").contains("fake-restore");
  }

  @Test
  void aFailingStartIsRolledBackToo() {
    JsonNode run = approvedRun(Map.of("failAt", "start"));
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("ROLLED_BACK_AND_VERIFIED");
    assertUntouched(run.get("id").asText());
  }

  @Test
  void aRollbackThatFindsOtherDataSaysHow() {
    JsonNode run = approvedRun(Map.of("failAt", "verify", "drift", "true"));
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("ROLLED_BACK_NOT_VERIFIED");
    assertThat(run.get("message").asText()).contains("data is old, but drifted, was old");
  }

  @Test
  void aFailingRollbackSaysExactlyWhatStateTheTargetIsIn() {
    JsonNode run = approvedRun(Map.of("failAt", "apply", "breakRollback", "true"));
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("NOT_ROLLED_BACK");
    assertThat(run.get("message").asText()).contains("rollback failed while putting the saved data back")
        .contains("no space left").contains("State: the fake holds null, old is aside, it is stopped");
  }

  @Test
  void skipBackupIsShownToTheApproverAndCannotRollBack() {
    String runId = start(Map.of("failAt", "apply", "skipBackup", "true"));
    JsonNode task = awaitTask(runId);
    assertThat(task.at("/evidence/rollback/keepsExistingData").asBoolean()).isFalse();
    assertThat(task.at("/evidence/rollback/plan").asText()).contains("DELETED without a copy");
    decide(task, "APPROVE");
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "FAILED", "COMPLETED", "REJECTED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("NOT_ROLLED_BACK");
    assertThat(run.get("message").asText()).contains("deleted without a copy (skipBackup)");
  }

  @Test
  void anEmptyTargetIsRestoredWithoutApprovalWithTheProofRecorded() {
    String runId = start(Map.of("empty", "true"));
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "COMPLETED", "FAILED", "WAITING_FOR_APPROVAL");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/outcomeDetail").asText()).contains("the fake holds nothing");
    assertThat(run.toString()).doesNotContain("Approve the restore");
    assertThat(target(runId).data).isEqualTo("new");
  }

  @Test
  void stepsOfTheCalledSkeletonAreAuditedUnderTheRunsRunbook() {
    JsonNode run = approvedRun(Map.of());
    String runId = run.get("id").asText();
    JsonNode steps = lifeboat.get(AUDITOR, "/api/audit?runbook=fake-restore&runId=" + runId + "&action=step.finished")
        .json();
    assertThat(steps.toString()).contains("Check the target").contains("Restore the artifact")
        .contains("CallActivity_Restore/Task_Apply").contains("restore-target");
    assertThat(run.toString()).contains("CallActivity_Restore/Task_CheckTarget");
  }

  // --- helpers

  private String start(Map<String, String> parameters) {
    return lifeboat.startRun(OPERATOR, "fake-restore", new LinkedHashMap<>(parameters));
  }

  private JsonNode approvedRun(Map<String, String> parameters) {
    String runId = start(parameters);
    decide(awaitTask(runId), "APPROVE");
    return lifeboat.awaitRun(runId, TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
  }

  private void decide(JsonNode task, String decision) {
    assertThat(lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", decision, "comment", "ok")).status()).isEqualTo(200);
  }

  private JsonNode awaitTask(String runId) {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode task : lifeboat.get(APPROVER, "/api/tasks").json()) {
        if (runId.equals(task.get("runId").asText())) {
          return task;
        }
      }
      JsonNode run = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
      assertThat(run.get("status").asText()).as("run before its approval: " + run).isIn("RUNNING",
          "WAITING_FOR_APPROVAL");
      LifeboatApp.sleep(100);
    }
    throw new AssertionError("no approval task for run " + runId);
  }

  private static FakePlatform.Target target(String runId) {
    return FakePlatform.TARGETS.get(runId);
  }

  private static void assertUntouched(String runId) {
    FakePlatform.Target target = target(runId);
    assertThat(target.data).as("data").isEqualTo("old");
    assertThat(target.running).as("running").isTrue();
  }
}
