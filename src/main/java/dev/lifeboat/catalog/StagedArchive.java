package dev.lifeboat.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An archive written to the backup repository's staging area and hashed on the way, with all the
 * catalogue needs; the process variable ({@code archive}) that the generic steps verify, store,
 * catalogue or discard. {@code sha256} and {@code size} are the archive's; {@code checksums} the
 * extra ones its platform asked for, by {@link Checksum#key()}; {@code problems} what the platform
 * found wrong while writing it (a checksum its tool reported that the bytes do not have, a
 * snapshot's own hash that did not match): {@link BackupPipeline#verify} refuses it then.
 */
public record StagedArchive(
    String stagingId,
    String backupId,
    String kind,
    String source,
    String sha256,
    long size,
    Map<String, String> checksums,
    List<String> problems,
    Map<String, Object> metadata,
    String notes,
    String createdBy,
    String runId,
    Instant startedAt,
    Instant finishedAt) {}
