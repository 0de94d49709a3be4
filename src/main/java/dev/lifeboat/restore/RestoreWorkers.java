package dev.lifeboat.restore;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The steps of the restore skeleton (bpmn/restore/restore-target.bpmn), the same for every platform. */
@Component
public class RestoreWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;
  private static final long FIFTEEN_MINUTES = 15 * 60 * 1000L;

  private final StepRunner steps;
  private final RestoreService restore;

  RestoreWorkers(StepRunner steps, RestoreService restore) {
    this.steps = steps;
    this.restore = restore;
  }

  @JobWorker(type = "restore.check-target", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void checkTarget(ActivatedJob job) {
    steps.run(job, step -> restore.check(job.getVariablesAsMap(), step));
  }

  @JobWorker(type = "restore.prepare-artifact", autoComplete = false, timeout = SIX_HOURS)
  public void prepareArtifact(ActivatedJob job) {
    steps.run(job, step -> restore.prepareArtifact(job.getVariablesAsMap(), step));
  }

  @JobWorker(type = "restore.stop-target", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void stopTarget(ActivatedJob job) {
    steps.run(job, step -> {
      restore.stop(job.getVariablesAsMap(), step);
      return Map.of();
    });
  }

  @JobWorker(type = "restore.save-aside", autoComplete = false, timeout = SIX_HOURS)
  public void saveAside(ActivatedJob job) {
    steps.run(job, step -> restore.saveAside(job.getVariablesAsMap(), step));
  }

  @JobWorker(type = "restore.apply", autoComplete = false, timeout = SIX_HOURS)
  public void apply(ActivatedJob job) {
    steps.run(job, step -> {
      restore.apply(job.getVariablesAsMap(), step);
      return Map.of();
    });
  }

  @JobWorker(type = "restore.start-target", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void startTarget(ActivatedJob job) {
    steps.run(job, step -> {
      restore.start(job.getVariablesAsMap(), step);
      return Map.of();
    });
  }

  @JobWorker(type = "restore.verify-target", autoComplete = false, timeout = SIX_HOURS)
  public void verifyTarget(ActivatedJob job) {
    steps.run(job, step -> restore.verify(job.getVariablesAsMap(), step));
  }

  @JobWorker(type = "restore.roll-back", autoComplete = false, timeout = SIX_HOURS)
  public void rollBack(ActivatedJob job) {
    steps.run(job, step -> restore.rollBack(job.getVariablesAsMap(), step));
  }

  @JobWorker(type = "restore.finish", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void finish(ActivatedJob job) {
    steps.run(job, step -> restore.finish(job.getVariablesAsMap(), step));
  }
}
