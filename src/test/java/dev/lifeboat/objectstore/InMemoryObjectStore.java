package dev.lifeboat.objectstore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} in memory, for unit tests (like Velero's in-memory object store). It keeps
 * S3's rules that callers rely on: an upload is invisible until closed and gone when aborted, an
 * open upload is listed as pending until then, listings come in key order and in pages, a missing
 * bucket or object is a 404.
 */
public final class InMemoryObjectStore implements ObjectStore {

  private record Stored(byte[] bytes, String etag, Instant lastModified) {}

  private final Map<String, NavigableMap<String, Stored>> buckets = new ConcurrentHashMap<>();
  private final Map<String, PendingUpload> pending = new ConcurrentHashMap<>();
  private final int pageSize;

  public InMemoryObjectStore() {
    this(1000);
  }

  public InMemoryObjectStore(int pageSize) {
    this.pageSize = pageSize;
  }

  @Override
  public boolean bucketExists(String bucket) {
    return buckets.containsKey(bucket);
  }

  @Override
  public void createBucket(String bucket) throws IOException {
    if (buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>()) != null) {
      throw new ObjectStoreException("create bucket s3://" + bucket + ": exists already", 409,
          "BucketAlreadyOwnedByYou", null);
    }
  }

  @Override
  public ObjectInfo put(String bucket, String key, InputStream content, long length) throws IOException {
    byte[] bytes = content.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
    if (bytes.length != length || content.read() != -1) {
      throw new IOException("put s3://" + bucket + "/" + key + ": the stream does not hold " + length
          + " bytes; nothing was stored");
    }
    return store(bucket, key, bytes);
  }

  @Override
  public ObjectUpload upload(String bucket, String key) throws IOException {
    bucket(bucket);
    String uploadId = UUID.randomUUID().toString();
    pending.put(uploadId, new PendingUpload(bucket, key, uploadId, Instant.now()));
    return new ObjectUpload() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      private volatile String state = "open";
      private ObjectInfo completed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!state.equals("open")) {
          throw new IOException("the upload of s3://" + bucket + "/" + key + " was " + state);
        }
        buffer.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (state.equals("aborted")) {
          throw new IOException("the upload of s3://" + bucket + "/" + key + " was aborted; nothing was stored");
        }
        if (state.equals("open")) {
          if (pending.remove(uploadId) == null) {
            state = "aborted";
            throw new ObjectStoreException("complete s3://" + bucket + "/" + key + ": no such upload", 404,
                "NoSuchUpload", null);
          }
          completed = store(bucket, key, buffer.toByteArray());
          state = "completed";
        }
      }

      @Override
      public void abort() {
        if (state.equals("open")) {
          state = "aborted";
          pending.remove(uploadId);
        }
      }

      @Override
      public ObjectInfo completed() throws IOException {
        if (completed == null) {
          throw new IOException("not complete (" + state + ")");
        }
        return completed;
      }
    };
  }

  @Override
  public InputStream get(String bucket, String key) throws IOException {
    return new ByteArrayInputStream(object(bucket, key).bytes());
  }

  @Override
  public Optional<ObjectInfo> stat(String bucket, String key) throws IOException {
    Stored stored = bucket(bucket).get(key);
    return Optional.ofNullable(stored).map(s -> info(key, s));
  }

  @Override
  public ObjectPage list(String bucket, String prefix, String pageToken) throws IOException {
    NavigableMap<String, Stored> objects = pageToken == null
        ? bucket(bucket).tailMap(prefix, true)
        : bucket(bucket).tailMap(pageToken, false);
    List<ObjectInfo> page = new ArrayList<>();
    for (Map.Entry<String, Stored> entry : objects.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      if (page.size() == pageSize) {
        return new ObjectPage(page, page.getLast().key());
      }
      page.add(info(entry.getKey(), entry.getValue()));
    }
    return new ObjectPage(page, null);
  }

  @Override
  public void delete(String bucket, String key) throws IOException {
    bucket(bucket).remove(key);
  }

  @Override
  public ObjectInfo copy(String bucket, String sourceKey, String targetKey) throws IOException {
    return store(bucket, targetKey, object(bucket, sourceKey).bytes());
  }

  @Override
  public List<PendingUpload> pendingUploads(String bucket, String keyPrefix) throws IOException {
    bucket(bucket);
    return pending.values().stream()
        .filter(u -> u.bucket().equals(bucket) && u.key().startsWith(keyPrefix))
        .sorted(Comparator.comparing(PendingUpload::key))
        .toList();
  }

  @Override
  public void abort(PendingUpload upload) {
    pending.remove(upload.uploadId());
  }

  @Override
  public void close() {}

  /** Every key in the bucket, for assertions. */
  public List<String> keys(String bucket) {
    return List.copyOf(buckets.getOrDefault(bucket, new ConcurrentSkipListMap<>()).keySet());
  }

  private ObjectInfo store(String bucket, String key, byte[] bytes) throws IOException {
    Stored stored = new Stored(bytes, "\"" + md5(bytes) + "\"", Instant.now());
    bucket(bucket).put(key, stored);
    return info(key, stored);
  }

  private Stored object(String bucket, String key) throws IOException {
    Stored stored = bucket(bucket).get(key);
    if (stored == null) {
      throw new ObjectStoreException("get s3://" + bucket + "/" + key + ": HTTP 404 NoSuchKey", 404, "NoSuchKey", null);
    }
    return stored;
  }

  private NavigableMap<String, Stored> bucket(String bucket) throws IOException {
    NavigableMap<String, Stored> objects = buckets.get(bucket);
    if (objects == null) {
      throw new ObjectStoreException("s3://" + bucket + ": HTTP 404 NoSuchBucket", 404, "NoSuchBucket", null);
    }
    return objects;
  }

  private static ObjectInfo info(String key, Stored stored) {
    return new ObjectInfo(key, stored.bytes().length, stored.etag(), stored.lastModified());
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
