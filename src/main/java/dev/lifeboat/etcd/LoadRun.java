package dev.lifeboat.etcd;

/** Variables of an etcd-load run (and of the load part of a migration with method=dump). */
record LoadRun(String runId, String initiator, String backupId, String endpoints, String credentialRef, String prefix,
    String reason) {}
