package dev.lifeboat.etcd;

/**
 * What the checks before a restore found and decided, carried through the run as one variable:
 * the tool that restores, where the existing data goes, where the snapshot is put on the host,
 * what the snapshot holds and what the target held before.
 */
record RestorePlan(
    String restoreTool,
    String etcdVersion,
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
