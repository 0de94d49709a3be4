package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The steps of the etcd-snapshot process; each reads its variables and calls one service. */
@Component
public class EtcdSnapshotWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final EtcdClusterInspector inspector;
  private final EtcdSnapshotService snapshots;
  private final EtcdBackupStore store;

  EtcdSnapshotWorkers(StepRunner steps, EtcdClusterInspector inspector, EtcdSnapshotService snapshots,
      EtcdBackupStore store) {
    this.steps = steps;
    this.inspector = inspector;
    this.snapshots = snapshots;
    this.store = store;
  }

  /** Variables of an etcd-snapshot run. */
  record SnapshotRun(String runId, String initiator, String endpoints, String credentialRef, String notes,
      ClusterVariables cluster, StagedSnapshot snapshot) {}

  record ClusterVariables(String clusterId, String snapshotEndpoint, int memberCount, String version) {}

  @JobWorker(type = "etcd.check-cluster", autoComplete = false)
  public void checkCluster(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      ClusterState cluster = inspector.inspect(run.endpoints(), run.credentialRef());
      step.message(cluster.summary());
      return Map.of("cluster", cluster.asVariables());
    });
  }

  @JobWorker(type = "etcd.take-snapshot", autoComplete = false, timeout = SIX_HOURS)
  public void takeSnapshot(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      var request = new EtcdSnapshotService.Request(run.endpoints(), run.cluster().snapshotEndpoint(),
          run.credentialRef(), run.notes(), run.initiator(), run.runId());
      TakenSnapshot taken = snapshots.take(request, (done, total) -> step.progress(done, total, "bytes"));
      step.message("snapshot of " + taken.metadata().snapshot().size() + " bytes at revision "
          + taken.metadata().revision() + ", archive " + taken.size() + " bytes, sha256 " + taken.sha256());
      return Map.of("snapshot", StagedSnapshot.of(taken));
    });
  }

  @JobWorker(type = "etcd.verify-snapshot", autoComplete = false)
  public void verifySnapshot(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      store.verifyStaged(run.snapshot());
      step.message("etcd's hash matches the snapshot; archive sha256 " + run.snapshot().sha256() + " re-read and confirmed");
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.store-backup", autoComplete = false)
  public void storeBackup(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      String path = store.commit(run.snapshot());
      step.message("stored as " + path);
      return Map.of("backupId", run.snapshot().backupId(), "sha256", run.snapshot().sha256(),
          "size", run.snapshot().size(), "path", path);
    });
  }

  @JobWorker(type = "etcd.catalogue-backup", autoComplete = false)
  public void catalogueBackup(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      store.catalogue(run.snapshot());
      step.message("catalogued as " + run.snapshot().backupId());
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.discard-snapshot", autoComplete = false)
  public void discardSnapshot(ActivatedJob job) {
    steps.run(job, step -> {
      SnapshotRun run = job.getVariablesAsType(SnapshotRun.class);
      store.discard(run.snapshot());
      step.message("the unverified archive was removed; nothing was catalogued");
      return Map.of();
    });
  }
}
