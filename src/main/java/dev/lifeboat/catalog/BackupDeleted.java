package dev.lifeboat.catalog;

/** Published when someone removed a backup's archive and catalogue entry. */
public record BackupDeleted(String backupId, String kind, String actor, String sha256, long size) {}
