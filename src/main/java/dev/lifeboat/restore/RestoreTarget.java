package dev.lifeboat.restore;

import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.runbook.StepContext;
import dev.lifeboat.runbook.StepOutcomeException;
import java.util.List;
import java.util.Map;

/**
 * A platform's part of a destructive restore: the restore skeleton (bpmn/restore/restore-target.bpmn)
 * decides the order, asks for the approval, catches failures and rolls back; an implementation only
 * knows how to do each thing on its platform. {@code R} is the run's variables as the platform
 * reads them, {@code P} the plan its checks decided, carried through the run as one variable; the
 * skeleton reads both types from the implementation's declaration ({@code implements
 * RestoreTarget<RestoreRun, RestorePlan>}).
 *
 * <p>Expected refusals (a failed precondition, a corrupt artifact) are thrown as {@link #refused};
 * anything else thrown is a fault: retried before the approval, rolled back after the stop.
 */
public interface RestoreTarget<R, P> {

  /** The value of the run's {@code platform} variable that selects this implementation. */
  String platform();

  /** Everything that can be checked before anyone is asked, and what the approver will be shown. */
  Checked<P> check(R run, StepContext step) throws Exception;

  /**
   * Puts the artifact where the restore will read it and verifies its checksum there. Returns facts
   * for the replacement side of the evidence (e.g. the checksum the host printed).
   */
  Map<String, Object> prepareArtifact(R run, P plan, StepContext step) throws Exception;

  void stop(R run, P plan, StepContext step) throws Exception;

  /** Moves or copies the existing data to where the plan says; with skipBackup, removes it. */
  void saveAside(R run, P plan, StepContext step) throws Exception;

  void apply(R run, P plan, StepContext step) throws Exception;

  /** Starts the target; does nothing when it already runs (the rollback calls it too). */
  void start(R run, P plan, StepContext step) throws Exception;

  /** Checks that the target holds what the artifact holds; returns the run's outputs. */
  Map<String, Object> verify(R run, P plan, StepContext step) throws Exception;

  /** Where the data the target held before is now (asked by the rollback). */
  SavedData savedData(R run, P plan) throws Exception;

  /** Puts the saved data back in place (the target is stopped), removing what the restore wrote. */
  void putBack(R run, P plan, StepContext step) throws Exception;

  /** The facts compared after a rollback, with the same names as {@link Checked#before}. */
  Map<String, Object> inspect(R run, P plan) throws Exception;

  /** Exact words for the target's state when it was not rolled back: where the data is, what runs. */
  String describeState(R run, P plan, SavedData saved);

  /** Removes what the restore put on the target besides the data (uploads); safe to call twice. */
  void cleanUp(R run, P plan, StepContext step) throws Exception;

  /** A refusal the model handles: the run ends FAILED with this message and nothing changed. */
  static StepOutcomeException refused(String message) {
    return new StepOutcomeException(RestoreService.REFUSED, message);
  }

  /**
   * What the checks found. {@code before} holds the facts a rollback must find again; {@code
   * emptyProof}, when set, says why the target holds no data (then no approval is asked).
   */
  record Checked<P>(
      P plan,
      String summary,
      Map<String, Object> target,
      Map<String, Object> replacement,
      Map<String, Object> before,
      List<String> warnings,
      String savedTo,
      List<PlannedCommand> commands,
      String emptyProof) {}

  enum SavedData {
    /** Moved aside by the save step: the rollback puts it back. */
    SAVED_ASIDE,
    /** Never moved (the failure came before the save step): the rollback only starts the target. */
    IN_PLACE,
    /** The target held nothing before: the rollback removes what the restore wrote. */
    WAS_EMPTY,
    /** Deleted without a copy (skipBackup) or missing: nothing to roll back to. */
    GONE
  }
}
