package dev.lifeboat.etcd;

import java.time.Instant;
import java.util.List;

/**
 * metadata.json inside every etcd snapshot archive: enough to catalogue the archive again after
 * an upload, and to check a restore against it (revision and key count).
 *
 * @param revisionExact true when the revision did not move while the snapshot was taken, so the
 *     snapshot holds exactly {@code revision} and {@code keyCount}
 */
public record SnapshotMetadata(
    String format,
    String kind,
    String backupId,
    List<String> endpoints,
    String snapshotEndpoint,
    String clusterId,
    List<ClusterState.Member> members,
    String etcdVersion,
    long revision,
    boolean revisionExact,
    long keyCount,
    Snapshot snapshot,
    Instant startedAt,
    Instant finishedAt,
    String notes,
    String createdBy,
    String runId) {

  public static final String FORMAT = "lifeboat-etcd-snapshot/1";
  public static final String KIND = "etcd-snapshot";
  public static final String SNAPSHOT_ENTRY = "snapshot.db";
  public static final String METADATA_ENTRY = "metadata.json";

  /** {@code sha256} of snapshot.db as a file; {@code etcdHash} the hash etcd appended to it. */
  public record Snapshot(String file, long size, String sha256, String etcdHash) {}
}
