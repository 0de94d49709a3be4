package dev.lifeboat.deis;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json} of a Deis store backup set (format {@value #FORMAT}): every object of every
 * bucket with the gateway's size and ETag and the sha256 and md5 Lifeboat computed, the store
 * volume's tar and the database dump, each referenced by the sha256 of a body in the repository.
 */
record DeisStoreManifest(
    String format,
    String kind,
    String backupId,
    String source,
    String host,
    String gatewayEndpoint,
    List<Bucket> buckets,
    List<StoredObject> objects,
    Part storeVolume,
    Part database,
    Instant startedAt,
    Instant finishedAt,
    String notes,
    String createdBy,
    String runId) {

  static final String FORMAT = "lifeboat-deis-store-backup/1";
  static final String KIND = "deis-store-backup";
  static final String ENTRY = "manifest.json";
  static final String VOLUME_ENTRY = "store-volume.tar.gz";
  static final String DATABASE_ENTRY = "pg_dumpall.sql";

  record Bucket(String name, int objectCount, long objectBytes) {}

  /** One object; {@code etag} as the gateway listed it (a multipart ETag is no MD5: compare by sha256). */
  record StoredObject(String bucket, String key, long size, String etag, String sha256, String md5) {}

  /** A file of the set: what it is, its body, and what went wrong but was kept (GNU tar's warnings). */
  record Part(String entry, String origin, String sha256, long size, List<String> warnings) {}

  int objectCount() {
    return objects.size();
  }

  long objectBytes() {
    return objects.stream().mapToLong(StoredObject::size).sum();
  }
}
