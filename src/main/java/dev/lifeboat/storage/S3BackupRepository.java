package dev.lifeboat.storage;

import dev.lifeboat.objectstore.ObjectInfo;
import dev.lifeboat.objectstore.ObjectStore;
import dev.lifeboat.objectstore.ObjectStoreException;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.objectstore.ObjectUpload;
import dev.lifeboat.objectstore.PendingUpload;
import dev.lifeboat.objectstore.S3Connection;
import jakarta.annotation.PreDestroy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Archives as objects {@code <prefix><name>} in an S3-compatible bucket.
 *
 * <p>Staging streams the archive straight from its writer into a multipart upload of
 * {@code <prefix>.staging/<runId>/<uuid>} (no local copy), completed when the writer closes the
 * stream. It is not completed under the final name because the pipeline reads the staged archive
 * back to verify it before committing, and S3 cannot read an upload that is not complete. Commit
 * copies it on the server side to its final name (readers see the object absent or whole; over
 * 5 GiB the copy goes part by part and still appears at once) and deletes the staging object;
 * discard aborts the upload or deletes the staging object. So a partial archive is never visible
 * under an archive name, and nothing of a discarded one stays behind.
 */
@Component
@ConditionalOnProperty(name = "lifeboat.storage.type", havingValue = "s3")
class S3BackupRepository implements BackupRepository, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3BackupRepository.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final ObjectStore store;
  private final String bucket;
  private final String prefix;
  private final String staging;
  /** Uploads of this process that are still being written, by staging id, to abort on discard. */
  private final Map<String, ObjectUpload> writing = new ConcurrentHashMap<>();

  @Autowired
  S3BackupRepository(StorageProperties properties, ObjectStores stores) {
    this(properties.s3(), open(properties.s3(), stores));
  }

  /** Checks at once that the bucket exists and takes writes: a misconfiguration stops start-up. */
  S3BackupRepository(StorageProperties.S3 settings, ObjectStore store) {
    this.store = store;
    this.bucket = settings.bucket();
    this.prefix = settings.prefix() == null ? "" : settings.prefix();
    this.staging = prefix + ".staging/";
    try {
      checkReachableAndWritable(settings);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static ObjectStore open(StorageProperties.S3 settings, ObjectStores stores) {
    if (settings.bucket() == null || settings.bucket().isBlank()) {
      throw new StorageUnavailableException("lifeboat.storage.type is s3 but no bucket is configured",
          "Set lifeboat.storage.s3.bucket (and lifeboat.storage.s3.endpoint, .credential-ref), or set"
              + " lifeboat.storage.type=local", null);
    }
    try {
      return stores.open(new S3Connection(settings.endpoint(), settings.region(), settings.credentialRef()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new StorageUnavailableException("The S3 backup repository cannot be opened: " + e.getMessage(),
          "Set lifeboat.storage.s3.credential-ref to credentials with username (access key id) and password-file"
              + " (secret key), and lifeboat.storage.s3.endpoint to the store's URL (empty for AWS)", e);
    }
  }

  private void checkReachableAndWritable(StorageProperties.S3 settings) {
    String where = "s3://" + bucket + " at " + new S3Connection(settings.endpoint(), settings.region(), null).describe();
    String ref = "lifeboat.credentials." + settings.credentialRef();
    boolean exists;
    try {
      exists = store.bucketExists(bucket);
    } catch (ObjectStoreException e) {
      if (e.isRefused()) {
        throw new StorageUnavailableException("The S3 store refused the credentials '" + settings.credentialRef()
            + "' for " + where + " (" + e.getMessage() + ")",
            "Check " + ref + ".username (access key id) and the secret key in " + ref + ".password-file, and that"
                + " this key may use the bucket", e);
      }
      if (e.isUnreachable()) {
        throw new StorageUnavailableException("The S3 store for " + where + " cannot be reached ("
            + e.getMessage() + ")", "Check lifeboat.storage.s3.endpoint and that the store is up", e);
      }
      throw new StorageUnavailableException("Cannot check " + where + ": " + e.getMessage(),
          "Check lifeboat.storage.s3.endpoint, .region and .bucket", e);
    } catch (IOException e) {
      throw new StorageUnavailableException("Cannot check " + where + ": " + e.getMessage(),
          "Check lifeboat.storage.s3.endpoint and that the store is up", e);
    }
    if (!exists) {
      throw new StorageUnavailableException("The bucket of the S3 backup repository does not exist: " + where,
          "Create it (e.g. s3cmd mb s3://" + bucket + ") or set lifeboat.storage.s3.bucket to an existing bucket",
          null);
    }
    String probe = staging + "lifeboat-start-up-check-" + UUID.randomUUID();
    byte[] bytes = "Lifeboat checks that it may write here; this object is deleted at once.\n".getBytes();
    try {
      store.put(bucket, probe, new ByteArrayInputStream(bytes), bytes.length);
      store.delete(bucket, probe);
    } catch (IOException e) {
      throw new StorageUnavailableException("Lifeboat cannot write to " + where + " under " + staging + " with the"
          + " credentials '" + settings.credentialRef() + "' (" + e.getMessage() + ")",
          "Give this key permission to put, get, copy and delete objects and to list and abort multipart uploads"
              + " under lifeboat.storage.s3.prefix (" + prefix + "), or use other credentials", e);
    }
    log.info("Backup repository: {}{} (staging under {})", "s3://" + bucket + "/", prefix, staging);
  }

  @Override
  public Staging stage(String runId) throws IOException {
    String id = safe(runId) + "/" + UUID.randomUUID();
    ObjectUpload upload = store.upload(bucket, stagingKey(id));
    writing.put(id, upload);
    return new Staging(id, upload);
  }

  @Override
  public InputStream openStaged(String stagingId) throws IOException {
    try {
      return store.get(bucket, stagingKey(stagingId));
    } catch (ObjectStoreException e) {
      if (e.isNotFound()) {
        throw missingStaged(stagingId);
      }
      throw e;
    }
  }

  @Override
  public long stagedSize(String stagingId) throws IOException {
    return store.stat(bucket, stagingKey(stagingId)).orElseThrow(() -> missingStaged(stagingId)).size();
  }

  private NoSuchFileException missingStaged(String stagingId) {
    ObjectUpload upload = writing.get(stagingId);
    return new NoSuchFileException(describeKey(stagingKey(stagingId)), null, upload != null
        ? "the staged archive is still being written (its stream was not closed)"
        : "no staged archive (discarded, committed, or never written)");
  }

  @Override
  public String commit(String stagingId, String name) throws IOException {
    String source = stagingKey(stagingId);
    String target = key(name);
    if (store.stat(bucket, target).isPresent()) {
      throw new FileAlreadyExistsException(describeKey(target), null, "an archive with this name exists already");
    }
    ObjectInfo staged = store.stat(bucket, source).orElseThrow(() -> missingStaged(stagingId));
    ObjectInfo copied = store.copy(bucket, source, target);
    if (copied.size() != staged.size()) {
      throw new IOException("the copy of " + describeKey(source) + " to " + describeKey(target) + " has "
          + copied.size() + " bytes instead of " + staged.size());
    }
    writing.remove(stagingId);
    try {
      store.delete(bucket, source);
    } catch (IOException e) {
      log.warn("Archive {} committed, but its staging object {} could not be deleted: {}", name, source,
          e.getMessage());
    }
    return name;
  }

  @Override
  public void discard(String stagingId) {
    String key = stagingKey(stagingId);
    ObjectUpload upload = writing.remove(stagingId);
    if (upload != null) {
      upload.abort();
    }
    try {
      store.delete(bucket, key);
      for (PendingUpload pending : store.pendingUploads(bucket, key)) {
        store.abort(pending);
      }
    } catch (IOException e) {
      log.warn("Could not remove staged archive {}: {}", describeKey(key), e.getMessage());
    }
  }

  @Override
  public void discardStagedFor(String runId) {
    String runPrefix = staging + safe(runId) + "/";
    forgetUploadsOf(runId);
    try {
      for (PendingUpload pending : store.pendingUploads(bucket, runPrefix)) {
        store.abort(pending);
      }
      for (ObjectInfo object : store.listAll(bucket, runPrefix)) {
        store.delete(bucket, object.key());
      }
    } catch (IOException e) {
      log.warn("Could not clean staging of run {} under {}: {}", runId, describeKey(runPrefix), e.getMessage());
    }
  }

  /** Aborts the run's uploads still being written here (a no-op for closed ones) and forgets them. */
  private void forgetUploadsOf(String runId) {
    writing.entrySet().removeIf(entry -> {
      if (entry.getKey().startsWith(runId + "/")) {
        entry.getValue().abort();
        return true;
      }
      return false;
    });
  }

  @Override
  public InputStream open(String location) throws IOException {
    try {
      return store.get(bucket, key(location));
    } catch (ObjectStoreException e) {
      if (e.isNotFound()) {
        throw new NoSuchFileException(location, null, "archive missing from " + describeKey(prefix));
      }
      throw e;
    }
  }

  @Override
  public boolean exists(String location) {
    try {
      return store.stat(bucket, key(location)).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String location) throws IOException {
    store.delete(bucket, key(location));
  }

  @Override
  public String describe(String location) {
    return describeKey(key(location));
  }

  @Override
  public List<Stored> list(String namePrefix) throws IOException {
    List<Stored> stored = new ArrayList<>();
    String token = null;
    do {
      var page = store.list(bucket, prefix + namePrefix, token);
      for (ObjectInfo object : page.objects()) {
        String name = object.key().substring(prefix.length());
        if (SAFE_NAME.matcher(name).matches()) { // not the staging area, nothing in a "sub-directory"
          stored.add(new Stored(name, object.size(), object.lastModified()));
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return stored;
  }

  @Override
  @PreDestroy
  public void close() {
    writing.values().forEach(ObjectUpload::abort);
    store.close();
  }

  private String describeKey(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private String key(String name) {
    return prefix + safe(name);
  }

  /** {@code <runId>/<uuid>}: the run's own staging "directory", so a run id never matches another's. */
  private String stagingKey(String stagingId) {
    int slash = stagingId == null ? -1 : stagingId.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a staging id of the S3 repository: " + stagingId);
    }
    return staging + safe(stagingId.substring(0, slash)) + "/" + safe(stagingId.substring(slash + 1));
  }

  /** Names come from ids we made, but are checked anyway: nothing may point outside the prefix. */
  private static String safe(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid archive name: " + name);
    }
    return name;
  }
}
