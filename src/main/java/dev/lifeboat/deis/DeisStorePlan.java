package dev.lifeboat.deis;

import java.util.List;

/**
 * What the checks of a deis-store-restore decided: the set's buckets and sizes, the volume's files,
 * where the volume's tar is uploaded, and whether the volume held anything before.
 */
record DeisStorePlan(
    String source,
    List<DeisStoreManifest.Bucket> buckets,
    int objectCount,
    long objectBytes,
    int volumeFiles,
    long volumeBytes,
    String uploadDir,
    boolean volumeWasEmpty) {

  String uploadedTar() {
    return uploadDir + "/store_file_backup.tar.gz";
  }
}
