package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import dev.lifeboat.remote.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * SSH connections kept for the length of a run, one per (run, host, credentials), so that the
 * steps of a run share one connection instead of each opening its own. A step leases the
 * connection and gives it back by closing its lease; the connection closes when the run ends
 * ({@link #endRun}), when nobody has leased it for {@code idle} (a run waiting days for an
 * approval, or one that ended on another instance, keeps nothing open), or when Lifeboat stops.
 * A connection found dropped is replaced at the next lease. Each Lifeboat instance keeps its own:
 * a step that runs on another instance simply opens one there.
 */
public final class RunSessions implements AutoCloseable {

  /** What a kept connection is for. */
  public record Key(String runId, String host, String credentialRef) {}

  private final Duration idle;
  private final Predicate<HostSession> alive;
  private final Map<Key, Kept> kept = new HashMap<>(); // guarded by this
  private final ScheduledExecutorService sweeper;

  /** {@code alive} tells whether a kept connection can still be used (it may have dropped). */
  public RunSessions(Duration idle, Predicate<HostSession> alive) {
    this.idle = idle;
    this.alive = alive;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-sessions")
        .factory());
    long every = Math.max(1_000, idle.toMillis() / 4);
    sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * A lease on the run's connection to the host, opened with {@code connect} when there is none
   * (or the kept one was dropped). Closing the lease gives the connection back; it stays open.
   */
  public HostSession lease(Key key, Supplier<HostSession> connect) {
    synchronized (this) {
      Kept existing = kept.get(key);
      if (existing != null && alive.test(existing.session)) {
        existing.leases++;
        return new Lease(existing);
      }
      if (existing != null) {
        retire(key, existing);
      }
    }
    HostSession opened = connect.get(); // slow: outside the lock
    synchronized (this) {
      Kept raced = kept.get(key);
      if (raced != null && alive.test(raced.session)) { // another step of the run opened one meanwhile
        raced.leases++;
        opened.close();
        return new Lease(raced);
      }
      Kept fresh = new Kept(opened);
      fresh.leases = 1;
      kept.put(key, fresh);
      return new Lease(fresh);
    }
  }

  /** The run ended: its connections close now, or as soon as the steps still using them give them back. */
  public void endRun(String runId) {
    List<HostSession> closing = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Map.Entry<Key, Kept>> it = kept.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Kept> entry = it.next();
        if (entry.getKey().runId().equals(runId)) {
          it.remove();
          entry.getValue().retired = true;
          if (entry.getValue().leases == 0) {
            closing.add(entry.getValue().session);
          }
        }
      }
    }
    closing.forEach(HostSession::close);
  }

  /** How many connections are kept open now (for tests and diagnostics). */
  public synchronized int open() {
    return kept.size();
  }

  /** Closes the connections nobody has leased for {@code idle} (also done every quarter of it). */
  public void closeIdle() {
    long now = System.nanoTime();
    List<HostSession> closing = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
        Kept k = it.next();
        if (k.leases == 0 && now - k.lastReleased > idle.toNanos()) {
          it.remove();
          k.retired = true;
          closing.add(k.session);
        }
      }
    }
    closing.forEach(HostSession::close);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    List<HostSession> closing;
    synchronized (this) {
      closing = kept.values().stream().map(k -> k.session).toList();
      kept.values().forEach(k -> k.retired = true);
      kept.clear();
    }
    closing.forEach(HostSession::close);
  }

  private void retire(Key key, Kept k) {
    kept.remove(key);
    k.retired = true;
    if (k.leases == 0) {
      k.session.close();
    }
  }

  private void release(Kept k) {
    boolean close;
    synchronized (this) {
      k.leases--;
      k.lastReleased = System.nanoTime();
      close = k.retired && k.leases == 0;
    }
    if (close) {
      k.session.close();
    }
  }

  private static final class Kept {
    final HostSession session;
    int leases;
    long lastReleased = System.nanoTime();
    boolean retired;

    Kept(HostSession session) {
      this.session = session;
    }
  }

  /** A step's use of a kept connection; closing it gives the connection back, once. */
  private final class Lease implements HostSession {

    private final Kept kept;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(Kept kept) {
      this.kept = kept;
    }

    @Override
    public String where() {
      return kept.session.where();
    }

    @Override
    public CommandResult run(Command command, Duration timeout, OutputListener output) {
      return kept.session.run(command, timeout, output);
    }

    @Override
    public CommandResult run(Command command) {
      return kept.session.run(command);
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
        OutputListener stderrLines) {
      return kept.session.stream(command, stdin, stdout, timeout, stderrLines);
    }

    @Override
    public void upload(InputStream content, long size, String path, TransferListener progress) throws IOException {
      kept.session.upload(content, size, path, progress);
    }

    @Override
    public long download(String path, OutputStream out, TransferListener progress) throws IOException {
      return kept.session.download(path, out, progress);
    }

    @Override
    public String sha256(String path) {
      return kept.session.sha256(path);
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(kept);
      }
    }
  }
}
