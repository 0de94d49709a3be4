package dev.lifeboat.backup;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.runbook.StepOutcomeException;
import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The steps of {@code backup-verify}: choose the backup, prove it (and record the proof on it). */
@Component
public class ProofWorkers {

  /** The BPMN error of a backup that did not prove restorable; the run ends FAILED with the reason. */
  public static final String PROOF_FAILED = "PROOF_FAILED";

  private final StepRunner steps;
  private final ProofService proofs;

  ProofWorkers(StepRunner steps, ProofService proofs) {
    this.steps = steps;
    this.proofs = proofs;
  }

  record ProofVariables(String runId, String backupId, String kind, String source) {}

  @JobWorker(type = "backup.choose-for-proof", autoComplete = false)
  public void choose(ActivatedJob job) {
    steps.run(job, step -> {
      ProofVariables in = job.getVariablesAsType(ProofVariables.class);
      Backup backup;
      try {
        backup = proofs.choose(in.backupId(), in.kind(), in.source());
      } catch (IllegalArgumentException e) {
        throw new StepOutcomeException(PROOF_FAILED, e.getMessage());
      }
      step.message(backup.id() + " (" + backup.kind() + " of " + backup.source() + ", taken " + backup.takenAt() + ")");
      return Map.of("backupId", backup.id());
    });
  }

  @JobWorker(type = "backup.prove", autoComplete = false)
  public void prove(ActivatedJob job) {
    steps.run(job, step -> {
      ProofVariables in = job.getVariablesAsType(ProofVariables.class);
      Map<String, Object> proof;
      try {
        proof = proofs.prove(in.backupId(), in.runId(), step::message);
      } catch (ProofFailedException e) {
        throw new StepOutcomeException(PROOF_FAILED, "backup " + in.backupId() + " is not proven: " + e.getMessage());
      }
      step.message("proven: " + proof.get("method"));
      return Map.of("verifiedAt", proof.get("at"), "proof", proof);
    });
  }
}
