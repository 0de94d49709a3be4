package dev.lifeboat.catalog;

/**
 * Published when a backup enters the catalogue, by a run ({@code runId} set) or an upload;
 * {@code actor} is whom it was made for (the run's initiator, or the uploader).
 */
public record BackupCreated(String backupId, String kind, String actor, String runId, String sha256, long size) {}
