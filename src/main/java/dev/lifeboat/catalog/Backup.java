package dev.lifeboat.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;

/**
 * A catalogued backup archive. {@code sha256} and {@code size} are those of the archive file as
 * stored, as {@code sha256sum} and {@code ls -l} would print them; {@code source} says what was
 * backed up (endpoints, cluster id, version, revision, key count) and {@code metadata} holds the
 * kind-specific rest, as written in the archive's metadata.json.
 */
public record Backup(
    String id,
    String kind,
    Map<String, Object> source,
    String sha256,
    long size,
    @JsonIgnore String location,
    Map<String, Object> metadata,
    String notes,
    String createdBy,
    String runId,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {}
