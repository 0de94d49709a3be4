package dev.lifeboat.catalog;

/**
 * Published when someone removed a backup's archive and catalogue entry. A deletion by retention
 * names its {@code rule} and the prune run ({@code runId}); a deletion by hand has neither.
 */
public record BackupDeleted(String backupId, String kind, String actor, String sha256, long size, String source,
    String rule, String runId) {

  public BackupDeleted(String backupId, String kind, String actor, String sha256, long size) {
    this(backupId, kind, actor, sha256, size, null, null, null);
  }
}
