package dev.lifeboat.objectstore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on the AWS SDK v2 synchronous client (built by {@link ObjectStores}). */
final class S3ObjectStore implements ObjectStore {

  static final int MAX_PARTS = 10_000;
  static final long MAX_COPY_IN_ONE = 5L * 1024 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final S3Client s3;
  /** Path-style stores only: creates buckets whose names are not DNS labels. */
  private final BucketNames bucketNames;
  private final String where;
  private final int partSize;
  private final int partsInFlight;
  /** Objects above this are copied in parts of {@code copyPartSize} (5 GiB / 1 GiB; smaller in tests). */
  private final long copyInOneLimit;
  private final long copyPartSize;
  private final ExecutorService parts = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "objectstore-part-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  S3ObjectStore(S3Client s3, BucketNames bucketNames, String where, int partSize, int partsInFlight, long copyInOneLimit,
      long copyPartSize) {
    this.s3 = s3;
    this.bucketNames = bucketNames;
    this.where = where;
    this.partSize = partSize;
    this.partsInFlight = partsInFlight;
    this.copyInOneLimit = copyInOneLimit;
    this.copyPartSize = copyPartSize;
  }

  @Override
  public boolean bucketExists(String bucket) throws IOException {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (SdkException e) {
      ObjectStoreException failure = failure("check bucket", bucket, null, e);
      if (failure.isNotFound()) {
        return false;
      }
      throw failure;
    }
  }

  @Override
  public void createBucket(String bucket) throws IOException {
    if (bucketNames != null && !BucketNames.dnsCompatible(bucket)) {
      call("create bucket", bucket, null,
          () -> bucketNames.underPlaceholder(bucket, placeholder -> s3.createBucket(b -> b.bucket(placeholder))));
      return;
    }
    call("create bucket", bucket, null, () -> s3.createBucket(b -> b.bucket(bucket)));
  }

  @Override
  public ObjectInfo put(String bucket, String key, InputStream content, long length) throws IOException {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
    if (length > partSize) {
      ObjectUpload upload = upload(bucket, key);
      try {
        long copied = content.transferTo(new BoundedOutput(upload, length));
        if (copied != length) {
          throw new IOException("put s3://" + bucket + "/" + key + ": the stream ended after " + copied + " of "
              + length + " bytes; nothing was stored");
        }
        upload.close();
        return upload.completed();
      } catch (IOException | RuntimeException e) {
        upload.abort();
        throw e;
      }
    }
    byte[] bytes = content.readNBytes((int) length);
    if (bytes.length != length) {
      throw new IOException("put s3://" + bucket + "/" + key + ": the stream ended after " + bytes.length + " of "
          + length + " bytes; nothing was stored");
    }
    return putBytes(bucket, key, bytes, bytes.length);
  }

  ObjectInfo putBytes(String bucket, String key, byte[] bytes, int length) throws IOException {
    PutObjectResponse response = call("put", bucket, key, () -> s3.putObject(
        b -> b.bucket(bucket).key(key).contentLength((long) length).contentMD5(md5(bytes, length)),
        body(bytes, length)));
    return new ObjectInfo(key, length, response.eTag(), null);
  }

  @Override
  public ObjectUpload upload(String bucket, String key) {
    return new S3Upload(this, bucket, key, partSize, new Semaphore(partsInFlight));
  }

  @Override
  public InputStream get(String bucket, String key) throws IOException {
    return call("get", bucket, key, () -> s3.getObject(b -> b.bucket(bucket).key(key)));
  }

  @Override
  public Optional<ObjectInfo> stat(String bucket, String key) throws IOException {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(new ObjectInfo(key, head.contentLength(), head.eTag(), head.lastModified()));
    } catch (SdkException e) {
      ObjectStoreException failure = failure("stat", bucket, key, e);
      if (failure.isNotFound() && !"NoSuchBucket".equals(failure.code())) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  @Override
  public ObjectPage list(String bucket, String prefix, String pageToken) throws IOException {
    ListObjectsV2Response page = call("list", bucket, prefix + "*", () -> s3.listObjectsV2(
        b -> b.bucket(bucket).prefix(prefix).continuationToken(pageToken)));
    List<ObjectInfo> objects = new ArrayList<>();
    for (S3Object o : page.contents()) {
      objects.add(new ObjectInfo(o.key(), o.size(), o.eTag(), o.lastModified()));
    }
    return new ObjectPage(objects, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
  }

  @Override
  public void delete(String bucket, String key) throws IOException {
    call("delete", bucket, key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
  }

  @Override
  public ObjectInfo copy(String bucket, String sourceKey, String targetKey) throws IOException {
    ObjectInfo source = stat(bucket, sourceKey).orElseThrow(() -> new ObjectStoreException(
        "copy s3://" + bucket + "/" + sourceKey + " at " + where + ": no such object", 404, "NoSuchKey", null));
    if (source.size() > copyInOneLimit) {
      return copyInParts(bucket, source, targetKey);
    }
    CopyObjectResponse response = call("copy to " + targetKey + " from", bucket, sourceKey, () -> s3.copyObject(
        b -> b.sourceBucket(bucket).sourceKey(sourceKey).destinationBucket(bucket).destinationKey(targetKey)));
    return new ObjectInfo(targetKey, source.size(), response.copyObjectResult().eTag(),
        response.copyObjectResult().lastModified());
  }

  /** Over 5 GiB S3 copies only part by part (UploadPartCopy); the target appears at completion. */
  private ObjectInfo copyInParts(String bucket, ObjectInfo source, String targetKey) throws IOException {
    String uploadId = startMultipart(bucket, targetKey);
    Semaphore slots = new Semaphore(partsInFlight);
    List<Future<CompletedPart>> copies = new ArrayList<>();
    try {
      int number = 1;
      for (long offset = 0; offset < source.size(); offset += copyPartSize, number++) {
        long first = offset;
        long last = Math.min(offset + copyPartSize, source.size()) - 1;
        int partNumber = number;
        slots.acquire();
        copies.add(parts.submit(() -> {
          try {
            String etag = call("copy part " + partNumber + " of", bucket, source.key(), () -> s3.uploadPartCopy(
                b -> b.sourceBucket(bucket).sourceKey(source.key()).destinationBucket(bucket).destinationKey(targetKey)
                    .uploadId(uploadId).partNumber(partNumber).copySourceRange("bytes=" + first + "-" + last)))
                .copyPartResult().eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
          } finally {
            slots.release();
          }
        }));
      }
      String etag = completeMultipart(bucket, targetKey, uploadId, await(copies));
      return new ObjectInfo(targetKey, source.size(), etag, null);
    } catch (IOException | RuntimeException e) {
      copies.forEach(f -> f.cancel(true));
      abortQuietly(bucket, targetKey, uploadId);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      copies.forEach(f -> f.cancel(true));
      abortQuietly(bucket, targetKey, uploadId);
      throw new InterruptedIOException("copy to s3://" + bucket + "/" + targetKey + " interrupted");
    }
  }

  @Override
  public List<PendingUpload> pendingUploads(String bucket, String keyPrefix) throws IOException {
    List<PendingUpload> pending = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      String km = keyMarker;
      String um = uploadIdMarker;
      ListMultipartUploadsResponse page = call("list multipart uploads under", bucket, keyPrefix + "*",
          () -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(keyPrefix).keyMarker(km).uploadIdMarker(um)));
      for (MultipartUpload upload : page.uploads()) {
        pending.add(new PendingUpload(bucket, upload.key(), upload.uploadId(), upload.initiated()));
      }
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return pending;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
    }
  }

  @Override
  public void abort(PendingUpload upload) throws IOException {
    try {
      s3.abortMultipartUpload(b -> b.bucket(upload.bucket()).key(upload.key()).uploadId(upload.uploadId()));
    } catch (SdkException e) {
      ObjectStoreException failure = failure("abort the multipart upload of", upload.bucket(), upload.key(), e);
      if (!failure.isNotFound()) { // already aborted or completed
        throw failure;
      }
    }
  }

  @Override
  public void close() {
    parts.shutdownNow();
    s3.close();
  }

  // --- what S3Upload needs -------------------------------------------------------------------

  String startMultipart(String bucket, String key) throws IOException {
    return call("start a multipart upload of", bucket, key,
        () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key))).uploadId();
  }

  /**
   * Sends one part from another thread, at most {@code slots} at a time; {@code sent} gets the
   * array back once the part no longer needs it, so the writer can fill it again.
   */
  Future<CompletedPart> sendPart(String bucket, String key, String uploadId, int partNumber, byte[] bytes, int length,
      Semaphore slots, Consumer<byte[]> sent) throws InterruptedIOException {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("upload of s3://" + bucket + "/" + key + " interrupted");
    }
    try {
      return parts.submit(() -> {
        try {
          String etag = call("upload part " + partNumber + " of", bucket, key, () -> s3.uploadPart(
              b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                  .contentLength((long) length).contentMD5(md5(bytes, length)),
              body(bytes, length))).eTag();
          return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        } finally {
          sent.accept(bytes);
          slots.release();
        }
      });
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

  /**
   * The first {@code length} bytes as a request body, without the copy {@code RequestBody.fromBytes}
   * makes (a part is megabytes); each attempt of a retried request reads them afresh.
   */
  private static RequestBody body(byte[] bytes, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
        "application/octet-stream");
  }

  String completeMultipart(String bucket, String key, String uploadId, List<CompletedPart> completed)
      throws IOException {
    List<CompletedPart> sorted = completed.stream().sorted(Comparator.comparing(CompletedPart::partNumber)).toList();
    return call("complete the multipart upload of", bucket, key, () -> s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(sorted)))).eTag();
  }

  void abortQuietly(String bucket, String key, String uploadId) {
    try {
      abort(new PendingUpload(bucket, key, uploadId, null));
    } catch (IOException e) {
      log.warn(
          "Could not abort the multipart upload of s3://{}/{} ({}); its parts stay until aborted: {}",
          bucket, key, uploadId, e.getMessage());
    }
  }

  static List<CompletedPart> await(List<Future<CompletedPart>> futures) throws IOException, InterruptedException {
    List<CompletedPart> done = new ArrayList<>(futures.size());
    for (Future<CompletedPart> future : futures) {
      try {
        done.add(future.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
    return done;
  }

  // --- errors ------------------------------------------------------------------------------

  @FunctionalInterface
  interface Call<T> {
    T run();
  }

  <T> T call(String what, String bucket, String key, Call<T> call) throws ObjectStoreException {
    try {
      return call.run();
    } catch (SdkException e) {
      throw failure(what, bucket, key, e);
    }
  }

  /** The SDK's messages name the request, status and S3 error code; they never contain the secret key. */
  ObjectStoreException failure(String what, String bucket, String key, SdkException e) {
    String object = "s3://" + bucket + (key == null ? "" : "/" + key);
    if (e instanceof S3Exception s3e) {
      String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
      String detail = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorMessage();
      int status = s3e.statusCode();
      return new ObjectStoreException(what + " " + object + " at " + where + ": HTTP " + status
          + (code == null ? "" : " " + code) + (detail == null ? explain(status) : " (" + detail + ")"),
          status, code, e);
    }
    String reason = e instanceof SdkClientException ? "no answer from the store: " : "";
    return new ObjectStoreException(what + " " + object + " at " + where + ": " + reason + e.getMessage(), 0, null, e);
  }

  /** HEAD answers carry no body, so no S3 error code: say what the status means. */
  private static String explain(int status) {
    return switch (status) {
      case 403 -> " (access denied: wrong access key id or secret key, or no permission)";
      case 404 -> " (not found)";
      case 301, 307 -> " (the bucket is in another region: set the region)";
      default -> "";
    };
  }

  static String md5(byte[] bytes, int length) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(bytes, 0, length);
      return Base64.getEncoder().encodeToString(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  /** Passes at most {@code limit} bytes on; one byte more means the stream was longer than declared. */
  private static final class BoundedOutput extends OutputStream {
    private final OutputStream out;
    private long remaining;

    BoundedOutput(OutputStream out, long limit) {
      this.out = out;
      this.remaining = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > remaining) {
        throw new IOException("the stream is longer than the declared length; nothing was stored");
      }
      out.write(b, off, len);
      remaining -= len;
    }
  }
}
