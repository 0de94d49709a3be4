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
 * snapshot's own hash that did not match): {@link BackupPipeline#verify} refuses it then. When
 * {@code encrypted}, {@code sha256} and {@code size} are the stored ciphertext's and
 * {@code plaintextSha256} the archive's inside; {@code checksums} are always the plaintext's.
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
    Instant finishedAt,
    boolean encrypted,
    String plaintextSha256) {

  /** A plain (not encrypted) archive. */
  public StagedArchive(String stagingId, String backupId, String kind, String source, String sha256, long size,
      Map<String, String> checksums, List<String> problems, Map<String, Object> metadata, String notes,
      String createdBy, String runId, Instant startedAt, Instant finishedAt) {
    this(stagingId, backupId, kind, source, sha256, size, checksums, problems, metadata, notes, createdBy, runId,
        startedAt, finishedAt, false, sha256);
  }

  /** The name it is stored under: {@code <backupId>.tar.gz}, {@code .age} appended when encrypted. */
  public String archiveName() {
    return BackupIds.archiveName(backupId, encrypted);
  }
}
