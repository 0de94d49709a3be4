package dev.lifeboat.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;

/**
 * A catalogued backup archive. {@code sha256} and {@code size} are those of the archive file as
 * stored, as {@code sha256sum} and {@code ls -l} would print them; {@code checksums} any other
 * checksums of it that its platform's tools print (by {@link Checksum#key()}). {@code source} is a
 * stable identity of what was backed up (an etcd cluster id, a Juju controller or model uuid, a
 * Deis cluster); {@code metadata} holds the kind-specific rest, as written in the archive's
 * metadata. An {@code encrypted} archive is stored as age ciphertext: {@code sha256} and
 * {@code size} are then those of the ciphertext, {@code plaintextSha256} that of the archive inside
 * (the same as {@code sha256} for a plain one); {@code checksums} are always of the plaintext, as the
 * platform's tools computed them.
 */
public record Backup(
    String id,
    String kind,
    String source,
    String sha256,
    long size,
    Map<String, String> checksums,
    @JsonIgnore String location,
    Map<String, Object> metadata,
    String notes,
    String createdBy,
    String runId,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    boolean encrypted,
    String plaintextSha256) {

  /** A plain (not encrypted) archive. */
  public Backup(String id, String kind, String source, String sha256, long size, Map<String, String> checksums,
      String location, Map<String, Object> metadata, String notes, String createdBy, String runId, Instant createdAt,
      Instant startedAt, Instant finishedAt) {
    this(id, kind, source, sha256, size, checksums, location, metadata, notes, createdBy, runId, createdAt, startedAt,
        finishedAt, false, sha256);
  }
}
