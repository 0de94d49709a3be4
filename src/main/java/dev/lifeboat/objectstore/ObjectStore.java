package dev.lifeboat.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An S3-compatible object store, reduced to what backups and restores need. Bucket names are taken
 * as given (path-style addressing, so {@code db_wal} works). Every failure is an
 * {@link ObjectStoreException} naming the operation and the object, never a secret.
 */
public interface ObjectStore extends AutoCloseable {

  boolean bucketExists(String bucket) throws IOException;

  void createBucket(String bucket) throws IOException;

  /**
   * Stores exactly {@code length} bytes read from {@code content} (one request, or a multipart
   * upload for large objects that is aborted if anything fails).
   */
  ObjectInfo put(String bucket, String key, InputStream content, long length) throws IOException;

  /**
   * An upload of unknown length: write to it, then {@code close()} makes the object visible, or
   * {@code abort()} drops it and every part sent so far.
   */
  ObjectUpload upload(String bucket, String key) throws IOException;

  /** The object's bytes, streamed; {@link ObjectStoreException#isNotFound()} when there is none. */
  InputStream get(String bucket, String key) throws IOException;

  /** Size and ETag, or empty when the object does not exist. */
  Optional<ObjectInfo> stat(String bucket, String key) throws IOException;

  /** One page of the objects whose keys start with {@code prefix}, in key order; null token = first page. */
  ObjectPage list(String bucket, String prefix, String pageToken) throws IOException;

  /** Every page of {@link #list}; for prefixes whose listing fits in memory. */
  default List<ObjectInfo> listAll(String bucket, String prefix) throws IOException {
    List<ObjectInfo> all = new ArrayList<>();
    String token = null;
    do {
      ObjectPage page = list(bucket, prefix, token);
      all.addAll(page.objects());
      token = page.nextPageToken();
    } while (token != null);
    return all;
  }

  /** Removes the object; removing one that does not exist is not an error. */
  void delete(String bucket, String key) throws IOException;

  /**
   * Copies an object inside the bucket on the server side (no bytes pass through Lifeboat). Readers
   * see the target either absent or complete; objects over 5 GiB are copied in parts.
   */
  ObjectInfo copy(String bucket, String sourceKey, String targetKey) throws IOException;

  /** Multipart uploads started under {@code keyPrefix} and neither completed nor aborted. */
  List<PendingUpload> pendingUploads(String bucket, String keyPrefix) throws IOException;

  /** Aborts a pending upload: its parts are deleted and its key never appears. */
  void abort(PendingUpload upload) throws IOException;

  @Override
  void close();
}
