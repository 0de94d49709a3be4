package dev.lifeboat.deis;

import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The Deis store steps of deis-store-backup; each reads its variables and calls one service.
 * Verifying, storing and cataloguing the set are the backup pipeline's generic steps.
 */
@Component
public class DeisStoreBackupWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final DeisStoreBackupService backups;

  DeisStoreBackupWorkers(StepRunner steps, DeisStoreBackupService backups) {
    this.steps = steps;
    this.backups = backups;
  }

  /** Variables of a deis-store-backup run: its parameters and what earlier steps returned. */
  record BackupRun(String runId, String initiator, String host, String credentialRef, String gatewayEndpoint,
      String gatewayCredentialRef, String deisctlCommand, String dockerCommand, String storeVolumePath, String buckets,
      String databaseContainer, String notes, DeisStoreBackupService.Checked store,
      DeisStoreBackupService.Copied objects, DeisStoreManifest.Part volume, DeisStoreManifest.Part database) {

    DeisStoreBackupService.Request request() {
      return new DeisStoreBackupService.Request(runId, initiator, host, credentialRef, gatewayEndpoint,
          gatewayCredentialRef, deisctlCommand, dockerCommand, storeVolumePath, buckets, databaseContainer, notes);
    }
  }

  @JobWorker(type = "deis.check-store", autoComplete = false)
  public void checkStore(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      DeisStoreBackupService.Checked checked = backups.check(run.request());
      step.message("cluster " + checked.source() + ": buckets " + String.join(", ", checked.buckets())
          + " found; backup id " + checked.backupId());
      return Map.of("store", checked);
    });
  }

  @JobWorker(type = "deis.copy-store-buckets", autoComplete = false, timeout = SIX_HOURS)
  public void copyBuckets(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      DeisStoreBackupService.Copied copied = backups.copyBuckets(run.request(), run.store(),
          (objects, bytes, objectsListed, bytesListed, listed) -> {
            step.progress(objects, listed ? objectsListed : null, "objects");
            step.message(objects + " of " + objectsListed + " objects, " + bytes + " of " + bytesListed + " bytes"
                + (listed ? "" : " listed so far"));
          });
      step.message(copied.objectCount() + " objects (" + copied.objectBytes() + " bytes): " + copied.downloaded()
          + " downloaded (" + copied.downloadedBytes() + " bytes), " + copied.reused()
          + " held already from the last backup");
      return Map.of("objects", copied);
    });
  }

  @JobWorker(type = "deis.copy-store-volume", autoComplete = false, timeout = SIX_HOURS)
  public void copyVolume(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      DeisStoreManifest.Part volume = backups.copyVolume(run.request(), step::output,
          bytes -> step.progress(bytes, null, "bytes"));
      step.message("store volume: " + volume.size() + " bytes, sha256 " + volume.sha256()
          + (volume.warnings().isEmpty() ? "" : "; tar warned (kept in the manifest): "
              + String.join("; ", volume.warnings())));
      return Map.of("volume", volume);
    });
  }

  @JobWorker(type = "deis.dump-store-database", autoComplete = false, timeout = SIX_HOURS)
  public void dumpDatabase(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      DeisStoreManifest.Part database = backups.dumpDatabase(run.request(), step::output,
          bytes -> step.progress(bytes, null, "bytes"));
      step.message("pg_dumpall: " + database.size() + " bytes, sha256 " + database.sha256());
      return Map.of("database", database);
    });
  }

  @JobWorker(type = "deis.write-store-manifest", autoComplete = false)
  public void writeManifest(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      StagedArchive archive = backups.writeManifest(run.request(), run.store(), run.objects(), run.volume(),
          run.database());
      step.message("manifest of " + run.objects().objectCount() + " objects, the store volume and the dump");
      return Map.of("archive", archive, "objectCount", run.objects().objectCount(), "objectBytes",
          run.objects().objectBytes());
    });
  }
}
