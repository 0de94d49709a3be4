package dev.lifeboat.catalog;

/** Published when someone starts downloading a backup's archive. */
public record BackupDownloaded(String backupId, String kind, String actor, String sha256, long size) {}
