package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The steps of the etcd-restore process; each reads its variables and calls one service method. */
@Component
public class EtcdRestoreWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;
  private static final long FIFTEEN_MINUTES = 15 * 60 * 1000L;

  private final StepRunner steps;
  private final EtcdRestoreService restore;

  EtcdRestoreWorkers(StepRunner steps, EtcdRestoreService restore) {
    this.steps = steps;
    this.restore = restore;
  }

  record Evidence(Map<String, Object> evidence) {}

  @JobWorker(type = "etcd.check-restore-target", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void checkTarget(ActivatedJob job) {
    steps.run(job, step -> restore.checkTarget(job.getVariablesAsType(RestoreRun.class), step));
  }

  @JobWorker(type = "etcd.upload-snapshot", autoComplete = false, timeout = SIX_HOURS)
  public void uploadSnapshot(ActivatedJob job) {
    steps.run(job, step -> restore.uploadSnapshot(job.getVariablesAsType(RestoreRun.class),
        job.getVariablesAsType(Evidence.class).evidence(), step));
  }

  @JobWorker(type = "etcd.stop-member", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void stopMember(ActivatedJob job) {
    steps.run(job, step -> {
      restore.stopMember(job.getVariablesAsType(RestoreRun.class), step);
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.save-data", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void saveExistingData(ActivatedJob job) {
    steps.run(job, step -> {
      restore.saveExistingData(job.getVariablesAsType(RestoreRun.class), step);
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.restore-snapshot", autoComplete = false, timeout = SIX_HOURS)
  public void restoreSnapshot(ActivatedJob job) {
    steps.run(job, step -> {
      restore.restoreSnapshot(job.getVariablesAsType(RestoreRun.class), step);
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.start-member", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void startMember(ActivatedJob job) {
    steps.run(job, step -> {
      restore.startMember(job.getVariablesAsType(RestoreRun.class), step);
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.verify-restore", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void verifyRestore(ActivatedJob job) {
    steps.run(job, step -> restore.verifyRestore(job.getVariablesAsType(RestoreRun.class), step));
  }

  @JobWorker(type = "etcd.remove-upload", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void removeUpload(ActivatedJob job) {
    steps.run(job, step -> {
      restore.removeUpload(job.getVariablesAsType(RestoreRun.class), step);
      return Map.of();
    });
  }

  @JobWorker(type = "etcd.roll-back", autoComplete = false, timeout = FIFTEEN_MINUTES)
  public void rollBack(ActivatedJob job) {
    steps.run(job, step -> Map.of("failure", restore.rollBack(job.getVariablesAsType(RestoreRun.class), step)));
  }
}
