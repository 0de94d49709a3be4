package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import org.springframework.stereotype.Component;

/** The etcd-migration's own step; snapshot and restore are the called etcd-snapshot and etcd-restore. */
@Component
public class EtcdMigrationWorkers {

  private final StepRunner steps;
  private final EtcdMigrationService migration;

  EtcdMigrationWorkers(StepRunner steps, EtcdMigrationService migration) {
    this.steps = steps;
    this.migration = migration;
  }

  @JobWorker(type = "etcd.compare-clusters", autoComplete = false)
  public void compareClusters(ActivatedJob job) {
    steps.run(job, step -> migration.compare(job.getVariablesAsType(EtcdMigrationService.MigrationRun.class), step));
  }
}
