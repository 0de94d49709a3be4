package dev.lifeboat.catalog;

/** Published when an uploaded archive passed verification and was catalogued (after {@link BackupCreated}). */
public record BackupUploaded(String backupId, String kind, String actor, String sha256, long size) {}
