package dev.lifeboat.juju;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The Juju steps of juju-client-backup; verifying, storing and cataloguing are the pipeline's. */
@Component
public class JujuClientBackupWorkers {

  private static final long TWO_HOURS = 2 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final JujuClientBackupService backups;

  JujuClientBackupWorkers(StepRunner steps, JujuClientBackupService backups) {
    this.steps = steps;
    this.backups = backups;
  }

  record ClientBackupRun(String runId, String initiator, String host, String credentialRef, String jujuDir,
      String excludes, Boolean sudo, String notes, String resolvedJujuDir) {

    JujuClientBackupService.Request request() {
      return new JujuClientBackupService.Request(host, credentialRef, jujuDir, excludes, sudo, notes, initiator, runId);
    }
  }

  @JobWorker(type = "juju.check-client-dir", autoComplete = false)
  public void checkClientDir(ActivatedJob job) {
    steps.run(job, step -> {
      ClientBackupRun run = job.getVariablesAsType(ClientBackupRun.class);
      String dir = backups.check(run.request());
      step.message("the Juju client directory on " + run.host() + " is " + dir);
      return Map.of("resolvedJujuDir", dir);
    });
  }

  @JobWorker(type = "juju.archive-client-dir", autoComplete = false, timeout = TWO_HOURS)
  public void archiveClientDir(ActivatedJob job) {
    steps.run(job, step -> {
      ClientBackupRun run = job.getVariablesAsType(ClientBackupRun.class);
      JujuClientBackupService.Taken taken = backups.take(run.request(), run.resolvedJujuDir(), step);
      step.message(taken.fileCount() + " files from " + run.resolvedJujuDir() + " archived and encrypted: "
          + taken.archive().size() + " bytes stored, sha256 " + taken.archive().sha256() + " (archive inside: "
          + taken.plaintextSha256() + ")" + (taken.tarMessages().isEmpty() ? ""
          : "; tar said: " + String.join(" | ", taken.tarMessages())));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("archive", taken.archive());
      out.put("fileCount", taken.fileCount());
      return out;
    });
  }
}
