package dev.lifeboat.etcd;

/**
 * The process variable that carries a taken snapshot from step to step: where it is staged, the
 * archive's checksum and size, and the metadata that will be catalogued.
 */
record StagedSnapshot(String stagingId, String backupId, String sha256, long size, boolean etcdHashValid,
    SnapshotMetadata metadata) {

  static StagedSnapshot of(TakenSnapshot taken) {
    return new StagedSnapshot(taken.stagingId(), taken.metadata().backupId(), taken.sha256(), taken.size(),
        taken.etcdHashValid(), taken.metadata());
  }
}
