package dev.lifeboat.catalog;

import java.time.Instant;
import java.util.Map;

/** What an {@link ArchiveInspector} found in a verified archive. */
public record InspectedArchive(
    String backupId,
    String kind,
    Map<String, Object> source,
    Map<String, Object> metadata,
    String notes,
    Instant startedAt,
    Instant finishedAt) {}
