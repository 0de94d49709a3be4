package dev.lifeboat.catalog;

import java.util.Map;

/** Published when a proof run recorded its result on a backup ({@code status} PROVEN or FAILED). */
public record BackupProven(String backupId, String kind, String source, String runId, String status,
    Map<String, Object> proof) {}
