package dev.lifeboat.audit;

import static dev.lifeboat.audit.AuditDetails.of;

import dev.lifeboat.catalog.BackupCreated;
import dev.lifeboat.catalog.BackupDeleted;
import dev.lifeboat.catalog.BackupDownloaded;
import dev.lifeboat.catalog.BackupPartsRemoved;
import dev.lifeboat.catalog.BackupProven;
import dev.lifeboat.catalog.BackupUploaded;
import dev.lifeboat.runbook.RunNotFoundException;
import dev.lifeboat.runbook.RunService;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records what happens to the backup catalogue: created (by a run or an upload), uploaded, downloaded, deleted. */
@Component
class BackupEventsAudit {

  private final AuditTrail trail;
  private final RunService runs;

  BackupEventsAudit(AuditTrail trail, RunService runs) {
    this.trail = trail;
    this.runs = runs;
  }

  @EventListener
  void on(BackupCreated e) {
    trail.append(new AuditEntry(AuditAction.BACKUP_CREATED, e.actor(), e.runId(), null, runbookOf(e.runId()),
        archive(e.backupId(), e.kind(), e.sha256(), e.size(), e.runId() == null ? "upload" : "run")));
  }

  @EventListener
  void on(BackupUploaded e) {
    trail.append(AuditEntry.of(AuditAction.BACKUP_UPLOADED, e.actor(),
        archive(e.backupId(), e.kind(), e.sha256(), e.size(), null)));
  }

  @EventListener
  void on(BackupDownloaded e) {
    trail.append(AuditEntry.of(AuditAction.BACKUP_DOWNLOADED, e.actor(),
        archive(e.backupId(), e.kind(), e.sha256(), e.size(), null)));
  }

  /** A deletion by retention names its rule and the prune run. */
  @EventListener
  void on(BackupDeleted e) {
    Map<String, Object> details = new java.util.LinkedHashMap<>(archive(e.backupId(), e.kind(), e.sha256(), e.size(),
        e.rule() == null ? null : "retention"));
    if (e.rule() != null) {
      details.put("source", e.source());
      details.put("rule", e.rule());
    }
    trail.append(new AuditEntry(AuditAction.BACKUP_DELETED, e.actor(), e.runId(), null, runbookOf(e.runId()),
        details));
  }

  /** What the sweep after a deletion removed: parts stored once and shared between backups (count and bytes). */
  @EventListener
  void on(BackupPartsRemoved e) {
    Map<String, Object> details = new java.util.LinkedHashMap<>(of("backupId", e.backupId(), "kind", e.kind(),
        "removed", e.removed(), "bytes", e.bytes(), "kept", e.kept()));
    if (e.problem() != null) {
      details.put("problem", e.problem());
    }
    trail.append(new AuditEntry(AuditAction.BACKUP_PARTS_REMOVED, e.actor(), e.runId(), null, runbookOf(e.runId()),
        details));
  }

  @EventListener
  void on(BackupProven e) {
    trail.append(new AuditEntry(AuditAction.BACKUP_VERIFIED, "lifeboat", e.runId(), null, runbookOf(e.runId()),
        of("backupId", e.backupId(), "kind", e.kind(), "source", e.source(), "status", e.status(), "proof", e.proof())));
  }

  private static Map<String, Object> archive(String backupId, String kind, String sha256, long size, String via) {
    return of("backupId", backupId, "kind", kind, "sha256", sha256, "size", size, "via", via);
  }

  /** A backup made by a run is found under that run's runbook too. */
  private String runbookOf(String runId) {
    if (runId == null) {
      return null;
    }
    try {
      return runs.get(runId).runbook();
    } catch (RunNotFoundException e) {
      return null;
    }
  }
}
