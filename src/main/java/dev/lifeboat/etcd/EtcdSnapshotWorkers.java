package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The etcd steps of the etcd-snapshot process; each reads its variables and calls one service.
 * Verifying, storing and cataloguing the archive are the backup pipeline's generic steps.
 */
@Component
public class EtcdSnapshotWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final EtcdClusterInspector inspector;
  private final EtcdSnapshotService snapshots;

  EtcdSnapshotWorkers(StepRunner steps, EtcdClusterInspector inspector, EtcdSnapshotService snapshots) {
    this.steps = steps;
    this.inspector = inspector;
    this.snapshots = snapshots;
  }

  /** Variables of an etcd-snapshot run. */
  record SnapshotRun(String runId, String initiator, String endpoints, String credentialRef, String notes,
      ClusterVariables cluster, EtcdSnapshotService.CopyTo copyTo, Integer gzipLevel) {}

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
          run.credentialRef(), run.notes(), run.initiator(), run.runId(), run.copyTo(), run.gzipLevel());
      TakenSnapshot taken = snapshots.take(request, (done, total) -> step.progress(done, total, "bytes"));
      SnapshotOnHost.Copy copy = taken.copy();
      step.message("snapshot of " + taken.metadata().snapshot().size() + " bytes at revision "
          + taken.metadata().revision() + ", archive " + taken.archive().size() + " bytes, sha256 "
          + taken.archive().sha256()
          + (copy != null ? "; sent meanwhile to " + copy.path() + " on " + copy.host() + ", where sha256sum printed "
              + copy.sha256() + ", as Lifeboat hashed it"
              : taken.copyProblem() != null ? "; the copy to the restore's host was dropped (" + taken.copyProblem()
                  + "): the restore uploads it" : ""));
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("archive", taken.archive());
      if (copy != null) {
        out.put("snapshotCopy", copy);
      }
      return out;
    });
  }
}
