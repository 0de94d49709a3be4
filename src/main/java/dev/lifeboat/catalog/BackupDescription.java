package dev.lifeboat.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * What a backup archive is, as its platform describes it when it is made, or as an
 * {@link ArchiveInspector} reads it back from an uploaded archive.
 *
 * @param source a stable identity of what was backed up (an etcd cluster id, a Juju controller
 *     or model uuid, a Deis cluster); retention and freshness go by kind and source
 * @param metadata the kind-specific rest, as the archive's own metadata says it
 */
public record BackupDescription(
    String backupId,
    String kind,
    String source,
    Map<String, Object> metadata,
    String notes,
    Instant startedAt,
    Instant finishedAt) {}
