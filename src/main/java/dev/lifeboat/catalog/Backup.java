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
 *
 * @param schedule the schedule whose run made it, or null for a backup made on demand (or uploaded)
 * @param verifiedAt when a proof run last proved it restorable (null: never proven)
 * @param proof the newest proof run's result (status {@code PROVEN} or {@code FAILED}, at, runId,
 *     what was proven), or null
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
    String schedule,
    Instant verifiedAt,
    Map<String, Object> proof,
    boolean encrypted,
    String plaintextSha256) {

  /** A plain (not encrypted) on-demand backup that was never proven. */
  public Backup(String id, String kind, String source, String sha256, long size, Map<String, String> checksums,
      String location, Map<String, Object> metadata, String notes, String createdBy, String runId, Instant createdAt,
      Instant startedAt, Instant finishedAt) {
    this(id, kind, source, sha256, size, checksums, location, metadata, notes, createdBy, runId, createdAt, startedAt,
        finishedAt, null, null, null, false, sha256);
  }

  /** Initiator of the runs a schedule starts: {@code schedule:<name>}. */
  public static final String SCHEDULE_PREFIX = "schedule:";

  /** Made by a schedule's run (and so counted by the calendar rules of retention), or on demand. */
  public boolean scheduled() {
    return schedule != null;
  }

  /** When the backup was taken: its start when known, else when it was catalogued. */
  @JsonIgnore
  public Instant takenAt() {
    return startedAt != null ? startedAt : createdAt;
  }

  /** The newest proof failed (a backup never proven is neither proven nor failed). */
  @JsonIgnore
  public boolean proofFailed() {
    return proof != null && "FAILED".equals(proof.get("status"));
  }

  /** The newest proof succeeded. */
  @JsonIgnore
  public boolean proven() {
    return proof != null && "PROVEN".equals(proof.get("status"));
  }
}
