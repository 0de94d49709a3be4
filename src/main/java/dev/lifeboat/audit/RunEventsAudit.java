package dev.lifeboat.audit;

import static dev.lifeboat.audit.AuditDetails.of;

import dev.lifeboat.approval.ApprovalDecided;
import dev.lifeboat.approval.ApprovalExpired;
import dev.lifeboat.approval.ApprovalRequested;
import dev.lifeboat.restore.RestoreFinished;
import dev.lifeboat.runbook.RunCanceled;
import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.runbook.RunResumed;
import dev.lifeboat.runbook.RunStarted;
import dev.lifeboat.runbook.StepFinished;
import dev.lifeboat.runbook.StepStarted;
import dev.lifeboat.runbook.StepStatus;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records what happens to runs, their steps and approvals, as it happens (synchronously: if the
 * event cannot be recorded, the action that published it fails too). What Lifeboat does on its
 * own is recorded with the actor {@value #SYSTEM}.
 */
@Component
class RunEventsAudit {

  static final String SYSTEM = "lifeboat";

  private final AuditTrail trail;

  RunEventsAudit(AuditTrail trail) {
    this.trail = trail;
  }

  @EventListener
  void on(RunStarted e) {
    record(AuditAction.RUN_STARTED, e.actor(), e.runId(), null, e.runbook(), of("parameters", e.parameters()));
  }

  @EventListener
  void on(RunCanceled e) {
    record(AuditAction.RUN_CANCELED, e.actor(), e.runId(), null, e.runbook(), Map.of());
  }

  @EventListener
  void on(RunResumed e) {
    record(AuditAction.RUN_RESUMED, e.actor(), e.runId(), null, e.runbook(), of("fromStep", e.fromStep()));
  }

  @EventListener
  void on(RunFinished e) {
    record(AuditAction.RUN_FINISHED, SYSTEM, e.runId(), null, e.runbook(),
        of("status", e.status().name(), "message", e.message()));
  }

  @EventListener
  void on(StepStarted e) {
    record(AuditAction.STEP_STARTED, SYSTEM, e.runId(), e.name(), e.runbook(),
        of("elementId", e.elementId(), "process", e.process()));
  }

  @EventListener
  void on(StepFinished e) {
    AuditAction action = e.status() == StepStatus.COMPLETED ? AuditAction.STEP_FINISHED : AuditAction.STEP_FAILED;
    record(action, SYSTEM, e.runId(), e.name(), e.runbook(),
        of("elementId", e.elementId(), "process", e.process(), "status", e.status().name(), "message", e.message()));
  }

  @EventListener
  void on(RestoreFinished e) {
    record(AuditAction.RESTORE_FINISHED, SYSTEM, e.runId(), null, e.runbook(),
        of("platform", e.platform(), "outcome", e.outcome().name(), "detail", e.detail()));
  }

  @EventListener
  void on(ApprovalRequested e) {
    record(AuditAction.APPROVAL_REQUESTED, SYSTEM, e.runId(), e.taskName(), e.runbook(),
        of("taskId", e.taskId(), "evidence", e.evidence()));
  }

  @EventListener
  void on(ApprovalDecided e) {
    record(AuditAction.APPROVAL_DECIDED, e.actor(), e.runId(), e.taskName(), e.runbook(),
        of("taskId", e.taskId(), "decision", e.decision().name(), "comment", e.comment()));
  }

  @EventListener
  void on(ApprovalExpired e) {
    record(AuditAction.APPROVAL_EXPIRED, SYSTEM, e.runId(), e.taskName(), e.runbook(),
        of("approvalTimeout", e.approvalTimeout()));
  }

  private void record(AuditAction action, String actor, String runId, String step, String runbook,
      Map<String, Object> details) {
    trail.append(new AuditEntry(action, actor, runId, step, runbook, details));
  }
}
