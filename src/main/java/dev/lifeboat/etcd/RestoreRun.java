package dev.lifeboat.etcd;

/** Variables of an etcd-restore run (and of the restore part of an etcd-migration). */
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
    String reason) {

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
