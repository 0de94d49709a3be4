package dev.lifeboat.juju;

/** The variables of a juju-ha-restore run, as its steps read them. */
record HaRestoreRun(String runId, String backupId, String host, String credentialRef, String jujuCommand,
    String constraints, Integer haCount, String haTimeout, String reason) {

  int members() {
    return haCount == null ? 3 : haCount;
  }
}
