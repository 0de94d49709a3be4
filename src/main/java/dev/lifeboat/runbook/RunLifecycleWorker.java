package dev.lifeboat.runbook;

import io.camunda.client.CamundaClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import org.springframework.stereotype.Component;

/**
 * The process-level end listener of every runbook model: the run is over. A step that ended the
 * run on an error path leaves a {@code failure} variable, which makes the run FAILED; a rejected or
 * expired approval leaves {@code rejection}, which makes it REJECTED.
 */
@Component
public class RunLifecycleWorker {

  private final RunService runs;
  private final RunRepository repository;
  private final CamundaClient engine;

  RunLifecycleWorker(RunService runs, RunRepository repository, CamundaClient engine) {
    this.runs = runs;
    this.repository = repository;
    this.engine = engine;
  }

  @JobWorker(type = "lifeboat.finish-run", autoComplete = false, fetchVariables = {"runId", "failure", "rejection"})
  public void finishRun(ActivatedJob job) {
    String runId = StepRunner.runId(job);
    // Called processes end too; only the end of the run's own instance ends the run.
    boolean isRunInstance = runId != null && repository.findWithoutSteps(runId)
        .map(run -> Long.valueOf(job.getProcessInstanceKey()).equals(run.processInstanceKey()))
        .orElse(false);
    if (isRunInstance) {
      Object failure = job.getVariablesAsMap().get("failure");
      Object rejection = job.getVariablesAsMap().get("rejection");
      if (failure != null) {
        runs.finish(runId, RunStatus.FAILED, failure.toString());
      } else if (rejection != null) {
        runs.finish(runId, RunStatus.REJECTED, rejection.toString());
      } else {
        runs.finish(runId, RunStatus.COMPLETED, null);
      }
    }
    engine.newCompleteCommand(job).send().join();
  }
}
