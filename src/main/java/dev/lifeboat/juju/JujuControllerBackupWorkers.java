package dev.lifeboat.juju;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The Juju steps of juju-controller-backup; verifying, storing and cataloguing are the pipeline's. */
@Component
public class JujuControllerBackupWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final JujuControllerBackupService backups;

  JujuControllerBackupWorkers(StepRunner steps, JujuControllerBackupService backups) {
    this.steps = steps;
    this.backups = backups;
  }

  record BackupRun(String runId, String initiator, String host, String credentialRef, String jujuCommand,
      String controller, String notes) {}

  @JobWorker(type = "juju.detect-client", autoComplete = false)
  public void detectClient(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      JujuCli.Version version = backups.detect(run.host(), run.credentialRef(), run.jujuCommand());
      step.message("juju " + version.text() + " on " + run.host() + ": the " + version.generation().label
          + " commands");
      return Map.of("jujuVersion", version.number(), "jujuGeneration", version.generation().label);
    });
  }

  @JobWorker(type = "juju.create-controller-backup", autoComplete = false, timeout = SIX_HOURS)
  public void createControllerBackup(ActivatedJob job) {
    steps.run(job, step -> {
      BackupRun run = job.getVariablesAsType(BackupRun.class);
      var request = new JujuControllerBackupService.Request(run.host(), run.credentialRef(), run.jujuCommand(),
          run.controller(), run.notes(), run.initiator(), run.runId());
      JujuControllerBackupService.Taken taken = backups.take(request, step);
      step.message("backup " + taken.archive().backupId() + ": " + taken.archive().size() + " bytes, Juju's checksum "
          + taken.checksum() + ", sha256 " + taken.archive().sha256()
          + (taken.jujuMessages().isEmpty() ? "" : "; juju said: " + String.join(" | ", taken.jujuMessages())));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("archive", taken.archive());
      out.put("checksum", taken.checksum());
      out.put("jujuVersion", taken.jujuVersion());
      out.put("jujuOutput", taken.jujuMessages());
      return out;
    });
  }
}
