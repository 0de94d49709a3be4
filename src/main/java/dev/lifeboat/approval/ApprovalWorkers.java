package dev.lifeboat.approval;

import dev.lifeboat.runbook.ProcessModels;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.annotation.JobWorker;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Approval steps of the models: user tasks (job-worker user tasks, so they work the same on the
 * embedded engine and on a cluster) become approval tasks; the timer on them expires them.
 */
@Component
public class ApprovalWorkers {

  /** Job type of a BPMN user task without a Camunda-native user task definition. */
  public static final String USER_TASK = "io.camunda.zeebe:userTask";
  /** How long the engine leaves a user task's job with Lifeboat; the timer boundary ends it sooner. */
  static final long USER_TASK_JOB_TIMEOUT_MS = 30L * 24 * 3600 * 1000;

  private final ApprovalService approvals;
  private final ProcessModels models;
  private final StepRunner steps;

  ApprovalWorkers(ApprovalService approvals, ProcessModels models, StepRunner steps) {
    this.approvals = approvals;
    this.models = models;
    this.steps = steps;
  }

  record TaskVariables(String runId, Map<String, Object> evidence, String approvalTimeout) {}

  @JobWorker(type = USER_TASK, autoComplete = false, timeout = USER_TASK_JOB_TIMEOUT_MS,
      fetchVariables = {"runId", "evidence", "approvalTimeout", StepRunner.STEP_PATH})
  public void onUserTask(ActivatedJob job) {
    TaskVariables variables = job.getVariablesAsType(TaskVariables.class);
    if (variables.runId() == null) {
      return; // not a Lifeboat run; nothing here can decide it
    }
    String name = models.model(job.getBpmnProcessId()).taskName(job.getElementId());
    approvals.taskCreated(job.getKey(), variables.runId(), job.getBpmnProcessId(), StepRunner.stepId(job), name,
        variables.evidence() == null ? Map.of() : variables.evidence(), variables.approvalTimeout());
  }

  record ExpireVariables(String runId, String approvalTimeout) {}

  @JobWorker(type = "approval.expire", autoComplete = false, fetchVariables = {"runId", "approvalTimeout"})
  public void expire(ActivatedJob job) {
    steps.run(job, context -> {
      ExpireVariables variables = job.getVariablesAsType(ExpireVariables.class);
      String message = approvals.expire(variables.runId(), variables.approvalTimeout());
      context.message(message);
      return Map.of("rejection", message);
    });
  }
}
