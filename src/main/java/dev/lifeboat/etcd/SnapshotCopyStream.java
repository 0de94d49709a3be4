package dev.lifeboat.etcd;

import com.google.protobuf.ByteString;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.HostSession;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of a snapshot sent to a restore's target host while the snapshot is being archived (an
 * etcd-migration), so that the restore neither reads the archive again nor uploads anything. The
 * copy is an optimisation: when it fails or falls behind by more than a minute it is dropped (and
 * the restore uploads from the archive as usual); it never fails the snapshot.
 */
final class SnapshotCopyStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SnapshotCopyStream.class);
  /** About 16 MiB of etcd's 32 KiB snapshot messages in flight. */
  private static final int CHUNKS_IN_FLIGHT = 512;
  private static final Duration FALLING_BEHIND = Duration.ofMinutes(1);
  private static final ByteString END = ByteString.EMPTY;

  private final HostSession host;
  private final String backupId;
  private final String dir;
  private final String path;
  private final BlockingQueue<ByteString> chunks = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT);
  private final Thread sender;
  private volatile boolean dropped;
  private volatile String problem;
  private volatile SnapshotOnHost.Copy copy;

  private SnapshotCopyStream(HostSession host, String backupId, String dir, String path) {
    this.host = host;
    this.backupId = backupId;
    this.dir = dir;
    this.path = path;
    this.sender = Thread.ofVirtual().name("snapshot-copy-" + backupId).start(this::send);
  }

  /** Starts sending to {@code path} in {@code dir} on the host; {@code host} is closed with this. */
  static SnapshotCopyStream start(HostSession host, String backupId, String dir, String path) {
    return new SnapshotCopyStream(host, backupId, dir, path);
  }

  private void send() {
    try {
      copy = SnapshotOnHost.send(host, new ChunkStream(), backupId, dir, path, Duration.ofHours(6));
    } catch (RuntimeException e) {
      drop("sending it failed: " + e.getMessage());
    }
  }

  /** The next bytes of the snapshot (the blob is immutable: it is queued, not copied). */
  void write(ByteString blob) {
    if (dropped || blob.isEmpty()) {
      return;
    }
    try {
      if (!chunks.offer(blob, FALLING_BEHIND.toMillis(), TimeUnit.MILLISECONDS)) {
        drop("the host took in nothing for " + FALLING_BEHIND.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drop("interrupted");
    }
  }

  /**
   * Ends the copy and waits for the host's hash: the copy, if it holds exactly the {@code size}
   * bytes hashing to {@code sha256} that Lifeboat archived; null (and the copy removed) otherwise.
   */
  SnapshotOnHost.Copy finish(String sha256, long size) throws InterruptedException {
    if (!dropped && !chunks.offer(END, FALLING_BEHIND.toMillis(), TimeUnit.MILLISECONDS)) {
      drop("the host took in nothing for " + FALLING_BEHIND.toSeconds() + " s");
    }
    if (!sender.join(FALLING_BEHIND)) {
      drop("the host did not print its sha256 within " + FALLING_BEHIND.toSeconds() + " s of the end");
    }
    SnapshotOnHost.Copy sent = copy;
    if (dropped || sent == null) {
      remove();
      return null;
    }
    if (!sent.sha256().equals(sha256) || sent.size() != size) {
      drop("the host hashed " + sent.size() + " bytes to " + sent.sha256() + ", Lifeboat archived " + size
          + " bytes hashing to " + sha256);
      remove();
      return null;
    }
    return sent;
  }

  /** Why the copy was dropped, or null. */
  String problem() {
    return problem;
  }

  /** Gives up the copy (the snapshot failed): the host's side ends and what it wrote is removed. */
  @Override
  public void close() {
    if (copy == null || dropped) {
      drop(problem == null ? "the snapshot did not finish" : problem);
      try {
        sender.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      remove();
    }
    host.close();
  }

  private void drop(String why) {
    if (!dropped) {
      problem = why;
      dropped = true;
      log.warn("Copy of snapshot {} to {} on {} dropped (the restore will upload it): {}", backupId, path,
          host.where(), why);
      chunks.clear();
      chunks.offer(END);
    }
  }

  private void remove() {
    try {
      host.run(Command.of("rm", "-rf", "--", dir));
    } catch (RuntimeException e) {
      log.warn("Could not remove {} on {}: {}", dir, host.where(), e.getMessage());
    }
  }

  /** The queued chunks as the command's standard input; it ends at {@link #END}. */
  private final class ChunkStream extends InputStream {

    private ByteString current = ByteString.EMPTY;
    private int offset;
    private boolean ended;

    @Override
    public int read(byte[] buffer, int off, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (offset >= current.size()) {
        if (ended) {
          return -1;
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        offset = 0;
        if (current == END || dropped) {
          ended = true;
          if (dropped) {
            throw new IOException("the copy was dropped");
          }
          return -1;
        }
      }
      int n = Math.min(length, current.size() - offset);
      current.copyTo(buffer, offset, off, n);
      offset += n;
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }
}
