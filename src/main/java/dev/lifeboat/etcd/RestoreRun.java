package dev.lifeboat.etcd;

import dev.lifeboat.approval.Evidence;

/**
 * Variables of an etcd-restore run (and of the restore part of an etcd-migration). {@code
 * snapshotCopy} is the copy an etcd-migration's snapshot step sent to the host; {@code evidence}
 * what the skeleton recorded, the host's checksum of the uploaded snapshot among it.
 */
record RestoreRun(
    String runId,
    String initiator,
    String backupId,
    String host,
    String credentialRef,
    String dataDir,
    String name,
    String clientUrl,
    String peerUrl,
    String stopCommand,
    String startCommand,
    String target,
    Boolean skipBackup,
    Boolean allowVersionSkew,
    String reason,
    SnapshotOnHost.Copy snapshotCopy,
    Evidence evidence) {

  /** The identity of the uploaded snapshot when the host hashed it (see {@link SnapshotOnHost}), or null. */
  String verifiedSnapshotIdentity() {
    Object identity = evidence == null || evidence.replacement() == null ? null
        : evidence.replacement().get(EtcdRestoreTarget.SNAPSHOT_IDENTITY);
    return identity == null ? null : identity.toString();
  }

  boolean skipsBackup() {
    return Boolean.TRUE.equals(skipBackup);
  }

  boolean allowsVersionSkew() {
    return Boolean.TRUE.equals(allowVersionSkew);
  }

  /** The cluster token of the restored member: new for every run, as etcd advises for a restore. */
  String clusterToken() {
    return "lifeboat-" + runId.substring(0, 8);
  }
}
