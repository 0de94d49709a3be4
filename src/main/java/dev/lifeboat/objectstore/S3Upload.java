package dev.lifeboat.objectstore;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An upload of unknown length: bytes are buffered one part at a time and each full part is sent
 * while the next one fills (at most {@code slots} parts in flight), so memory stays at a few parts
 * however large the object. An object smaller than one part is sent with one PUT at close. The
 * writer uses one thread; {@link #abort()} may come from any other.
 */
final class S3Upload extends ObjectUpload {

  private enum State { OPEN, COMPLETED, ABORTED }

  private final S3ObjectStore store;
  private final String bucket;
  private final String key;
  private final int partSize;
  private final Semaphore slots;
  private final List<Future<CompletedPart>> sent = new CopyOnWriteArrayList<>();
  /** Arrays of parts that have been sent, to fill again: no new array (and garbage) per part. */
  private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();

  private byte[] buffer;
  private int filled;
  private long size;
  private volatile String uploadId;
  private volatile State state = State.OPEN;
  private ObjectInfo completed;

  S3Upload(S3ObjectStore store, String bucket, String key, int partSize, Semaphore slots) {
    this.store = store;
    this.bucket = bucket;
    this.key = key;
    this.partSize = partSize;
    this.slots = slots;
    this.buffer = new byte[partSize];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    try {
      while (len > 0) {
        int n = Math.min(len, partSize - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        size += n;
        off += n;
        len -= n;
        if (filled == partSize) {
          sendBuffer();
        }
      }
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  private void sendBuffer() throws IOException {
    if (uploadId == null) {
      uploadId = store.startMultipart(bucket, key);
      if (state == State.ABORTED) { // aborted from another thread while the upload was being started
        store.abortQuietly(bucket, key, uploadId);
        ensureOpen();
      }
    }
    int partNumber = sent.size() + 1;
    if (partNumber > S3ObjectStore.MAX_PARTS) {
      throw new IOException("s3://" + bucket + "/" + key + " is larger than " + S3ObjectStore.MAX_PARTS
          + " parts of " + partSize + " bytes; raise lifeboat.objectstore.part-size");
    }
    sent.add(store.sendPart(bucket, key, uploadId, partNumber, buffer, filled, slots, spare::add));
    byte[] next = spare.poll(); // the part being sent keeps its array until it has gone
    buffer = next != null ? next : new byte[partSize];
    filled = 0;
  }

  private void ensureOpen() throws IOException {
    if (state != State.OPEN) {
      throw new IOException("the upload of s3://" + bucket + "/" + key + " was " + state.name().toLowerCase());
    }
  }

  /** Completes the object: sends what is buffered, waits for every part, then makes the object appear. */
  @Override
  public void close() throws IOException {
    if (state != State.OPEN) {
      if (state == State.ABORTED) {
        throw new IOException("the upload of s3://" + bucket + "/" + key + " was aborted; nothing was stored");
      }
      return;
    }
    try {
      String etag;
      if (uploadId == null) {
        etag = store.putBytes(bucket, key, buffer, filled).etag();
      } else {
        if (filled > 0) {
          sendBuffer();
        }
        etag = store.completeMultipart(bucket, key, uploadId, S3ObjectStore.await(sent));
      }
      buffer = null;
      spare.clear();
      completed = new ObjectInfo(key, size, etag, null);
      state = State.COMPLETED;
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new InterruptedIOException("the upload of s3://" + bucket + "/" + key + " was interrupted");
    }
  }

  @Override
  public void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    sent.forEach(part -> part.cancel(true));
    String id = uploadId;
    if (id != null) {
      // A part still in flight may land after the abort; S3 advises aborting again then, which
      // discardStagedFor-style clean-up (pendingUploads + abort) does.
      store.abortQuietly(bucket, key, id);
    }
  }

  @Override
  public ObjectInfo completed() throws IOException {
    if (completed == null) {
      throw new IOException("the upload of s3://" + bucket + "/" + key + " is not complete (" + state + ")");
    }
    return completed;
  }
}
