package dev.lifeboat.etcd;

/**
 * A snapshot streamed into a staged archive. {@code sha256} and {@code size} are the archive's;
 * {@code etcdHashValid} says whether etcd's own hash inside the snapshot matched its content.
 */
public record TakenSnapshot(
    String stagingId,
    String sha256,
    long size,
    boolean etcdHashValid,
    SnapshotMetadata metadata) {}
