package dev.lifeboat.etcd;

/**
 * What the checks before an etcd restore found and decided, carried through the run as one
 * variable: the tool that restores, where the existing data goes (none when {@code targetHadData}
 * is false: there was no data directory), where the snapshot is put on the host, what the snapshot
 * holds and what the target held before.
 */
record RestorePlan(
    String restoreTool,
    String etcdVersion,
    boolean targetHadData,
    String savedDataDir,
    String uploadDir,
    String snapshotPath,
    long snapshotSize,
    String snapshotSha256,
    long snapshotRevision,
    boolean snapshotRevisionExact,
    long snapshotKeyCount,
    long targetRevision,
    long targetKeyCount) {}
