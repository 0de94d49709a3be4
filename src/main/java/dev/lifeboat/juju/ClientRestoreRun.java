package dev.lifeboat.juju;

/** The variables of a juju-client-restore run. */
record ClientRestoreRun(String runId, String backupId, String host, String credentialRef, String jujuDir,
    String reason) {}
