package dev.lifeboat.juju;

/**
 * What the checks of a juju-ha-restore decided: the client's generation, where the archive goes on
 * the client host, and what it must hash to there; on 2.9/3.x also the primary controller machine
 * and where the archive goes on it for juju-restore.
 */
record HaRestorePlan(String generation, String clientVersion, String uploadDir, String uploadFile, String sha256,
    long size, String backupJujuVersion, String primary, String remoteFile) {

  boolean juju1() {
    return JujuCli.Generation.JUJU_1.label.equals(generation);
  }
}
