package dev.lifeboat.backup;

import dev.lifeboat.catalog.ArchiveCorruptException;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.runbook.StepOutcomeException;
import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The generic tail of every backup model. Each step reads the {@link StagedArchive} in the process
 * variable {@code archive} (written by the platform's take step) and calls {@link BackupPipeline}.
 * The store step outputs {@code backupId}, {@code sha256}, {@code size} and {@code path}.
 */
@Component
public class BackupWorkers {

  /** The BPMN error of an archive that failed verification; every backup model catches it and discards. */
  public static final String ARCHIVE_CORRUPT = "ARCHIVE_CORRUPT";

  private final StepRunner steps;
  private final BackupPipeline pipeline;

  BackupWorkers(StepRunner steps, BackupPipeline pipeline) {
    this.steps = steps;
    this.pipeline = pipeline;
  }

  record ArchiveVariables(StagedArchive archive) {}

  @JobWorker(type = "backup.verify-archive", autoComplete = false)
  public void verifyArchive(ActivatedJob job) {
    steps.run(job, step -> {
      StagedArchive archive = archive(job);
      try {
        pipeline.verify(archive);
      } catch (ArchiveCorruptException e) {
        throw new StepOutcomeException(ARCHIVE_CORRUPT, e.getMessage());
      }
      step.message("archive re-read: " + archive.size() + " bytes, sha256 " + archive.sha256() + " as written");
      return Map.of();
    });
  }

  @JobWorker(type = "backup.store-archive", autoComplete = false)
  public void storeArchive(ActivatedJob job) {
    steps.run(job, step -> {
      StagedArchive archive = archive(job);
      String path = pipeline.store(archive);
      step.message("stored as " + path);
      return Map.of("backupId", archive.backupId(), "sha256", archive.sha256(), "size", archive.size(), "path", path);
    });
  }

  @JobWorker(type = "backup.catalogue-archive", autoComplete = false)
  public void catalogueArchive(ActivatedJob job) {
    steps.run(job, step -> {
      StagedArchive archive = archive(job);
      pipeline.catalogue(archive);
      step.message("catalogued as " + archive.backupId());
      return Map.of();
    });
  }

  @JobWorker(type = "backup.discard-archive", autoComplete = false)
  public void discardArchive(ActivatedJob job) {
    steps.run(job, step -> {
      pipeline.discard(archive(job));
      step.message("the archive was removed; nothing was stored or catalogued");
      return Map.of();
    });
  }

  private static StagedArchive archive(ActivatedJob job) {
    return job.getVariablesAsType(ArchiveVariables.class).archive();
  }
}
