package dev.lifeboat.etcd;

import java.util.List;

/**
 * What the checks before an etcd-load found and decided: the target endpoint, which keys of the
 * dump it loads ({@code prefix}), what the target holds under it, how many of the dump's keys
 * would overwrite existing ones, and the backup id the overwritten keys are saved under (none
 * when the target holds no keys there).
 */
record LoadPlan(
    String endpoint,
    String clusterId,
    String etcdVersion,
    String prefix,
    String v2Prefix,
    List<String> hiddenRoots,
    boolean hasV2,
    boolean targetEmpty,
    long dumpV3Keys,
    long dumpV2Keys,
    String dumpV3Digest,
    String dumpV2Digest,
    long targetV3Keys,
    long targetV2Keys,
    long overwrittenV3,
    long overwrittenV2,
    String savedBackupId) {}
