package dev.lifeboat.deis;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The deis steps of deis-data-containers-backup; verify, store and catalogue are the backup pipeline's. */
@Component
public class DataContainerWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final DataContainerBackupService backups;

  DataContainerWorkers(StepRunner steps, DataContainerBackupService backups) {
    this.steps = steps;
    this.backups = backups;
  }

  @JobWorker(type = "deis.check-docker", autoComplete = false)
  public void checkDocker(ActivatedJob job) {
    steps.run(job, step -> {
      var run = job.getVariablesAsType(DataContainerBackupService.BackupRun.class);
      step.message("docker " + backups.check(run) + " answers on " + run.host() + "; containers "
          + run.containerNames());
      return Map.of();
    });
  }

  @JobWorker(type = "deis.export-containers", autoComplete = false, timeout = SIX_HOURS)
  public void exportContainers(ActivatedJob job) {
    steps.run(job, step -> Map.of("archive",
        backups.export(job.getVariablesAsType(DataContainerBackupService.BackupRun.class), step)));
  }
}
