package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import org.springframework.stereotype.Component;

/**
 * The etcd-migration's own steps; snapshot and restore (or dump and load) are the called
 * etcd-snapshot and etcd-restore (etcd-dump and etcd-load).
 */
@Component
public class EtcdMigrationWorkers {

  private final StepRunner steps;
  private final EtcdMigrationService migration;

  EtcdMigrationWorkers(StepRunner steps, EtcdMigrationService migration) {
    this.steps = steps;
    this.migration = migration;
  }

  @JobWorker(type = "etcd.check-migration", autoComplete = false)
  public void checkMigration(ActivatedJob job) {
    steps.run(job, step -> {
      migration.checkParameters(job.getVariablesAsType(EtcdMigrationService.MigrationParameters.class), step);
      return java.util.Map.of();
    });
  }

  @JobWorker(type = "etcd.compare-dump", autoComplete = false)
  public void compareDump(ActivatedJob job) {
    steps.run(job, step -> migration.compareDump(job.getVariablesAsType(EtcdMigrationService.DumpMigrationRun.class),
        step));
  }

  @JobWorker(type = "etcd.remove-snapshot-copy", autoComplete = false)
  public void removeSnapshotCopy(ActivatedJob job) {
    steps.run(job, step -> {
      migration.removeCopy(job.getVariablesAsType(EtcdMigrationService.CopyRun.class), step);
      return java.util.Map.of();
    });
  }

  @JobWorker(type = "etcd.compare-clusters", autoComplete = false)
  public void compareClusters(ActivatedJob job) {
    steps.run(job, step -> migration.compare(job.getVariablesAsType(EtcdMigrationService.MigrationRun.class), step));
  }
}
