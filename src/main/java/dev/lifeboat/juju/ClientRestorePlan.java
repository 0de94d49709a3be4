package dev.lifeboat.juju;

/**
 * What the checks of a juju-client-restore decided: the directory, where its current content is
 * copied, where the decrypted archive waits on the host, and the archive's digest of every file.
 */
record ClientRestorePlan(String jujuDir, boolean existed, String savedDir, String uploadDir, String uploadFile,
    String plaintextSha256, long plaintextSize, boolean sudo, String archiveDigest, int fileCount) {}
