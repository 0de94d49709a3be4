package dev.lifeboat.catalog;

/**
 * Published after the deletion of backup {@code backupId} (of {@code kind}, by {@code actor}; by
 * retention in prune run {@code runId}) swept the parts kept outside archives that no catalogued
 * backup references any more: {@code removed} of them with {@code bytes} stored bytes; {@code kept}
 * unreferenced ones were kept because a backup in progress may rely on them. {@code problem} says
 * why the sweep stopped early (nothing more was removed), null when it completed.
 */
public record BackupPartsRemoved(String backupId, String kind, String actor, String runId, int removed, long bytes,
    int kept, String problem) {}
