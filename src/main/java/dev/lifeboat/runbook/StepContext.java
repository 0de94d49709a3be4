package dev.lifeboat.runbook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running step may tell Lifeboat while it works: progress, a message, the output of the
 * commands it runs. Cheap to call per chunk or per line from any thread: what changed is written
 * at most once every {@link #WRITE_INTERVAL}, the latest value of each (a change that came too soon
 * is written once the interval is over), and whatever is still unwritten when the step ends is
 * written then.
 */
public final class StepContext {

  static final Duration WRITE_INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(StepContext.class);

  /** Runs a task once after a delay; production uses a virtual thread, tests run it by hand. */
  @FunctionalInterface
  interface Timer {
    Timer VIRTUAL_THREADS = (delay, task) -> Thread.ofVirtual().name("step-report").start(() -> {
      try {
        Thread.sleep(delay);
        task.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    void schedule(Duration delay, Runnable task);
  }

  private final String runId;
  private final Consumer<StepReport> writer;
  private final Clock clock;
  private final Timer timer;
  private final StepOutput output;
  // Command output arrives on the threads that drain stdout and stderr, progress on transfer threads.
  private final ReentrantLock lock = new ReentrantLock();
  private Instant lastWrite = Instant.EPOCH;
  private String message;
  private Progress progress;
  private boolean messageChanged;
  private boolean progressChanged;
  private boolean outputChanged;
  private boolean writeScheduled;
  private boolean finished;

  StepContext(String runId, Consumer<StepReport> writer, Clock clock, Timer timer, StepOutput output) {
    this.runId = runId;
    this.writer = writer;
    this.clock = clock;
    this.timer = timer;
    this.output = output;
  }

  public String runId() {
    return runId;
  }

  /** Reports progress, e.g. bytes of a transfer. */
  public void progress(long done, Long total, String unit) {
    lock.lock();
    try {
      progress = Progress.of(done, total, unit);
      progressChanged = true;
      changed();
    } finally {
      lock.unlock();
    }
  }

  /** The one line shown beside the step; the last one stays once it is done, e.g. "3 members, etcd 3.4.30". */
  public void message(String message) {
    lock.lock();
    try {
      this.message = message;
      messageChanged = true;
      changed();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends a line (or lines) of command output to the step's output, kept capped (see
   * {@link StepOutput}). Fits {@code remote.OutputListener}: {@code host.run(command, timeout, step::output)}.
   * The text must already be masked; command output through {@code remote} is.
   */
  public void output(String line) {
    lock.lock();
    try {
      output.append(line);
      outputChanged = !output.isEmpty();
      changed();
    } finally {
      lock.unlock();
    }
  }

  /** The last message this step gave, or null. */
  public String message() {
    lock.lock();
    try {
      return message;
    } finally {
      lock.unlock();
    }
  }

  /** The step has ended: writes what is still unwritten; later reports are ignored. */
  void finish() {
    lock.lock();
    try {
      if (finished) {
        return;
      }
      finished = true;
      write();
    } finally {
      lock.unlock();
    }
  }

  private void changed() {
    if (finished) {
      return;
    }
    Duration since = Duration.between(lastWrite, clock.instant());
    if (since.compareTo(WRITE_INTERVAL) >= 0) {
      write();
    } else if (!writeScheduled) {
      writeScheduled = true;
      timer.schedule(WRITE_INTERVAL.minus(since), this::scheduledWrite);
    }
  }

  private void scheduledWrite() {
    lock.lock();
    try {
      writeScheduled = false;
      if (!finished && (messageChanged || progressChanged || outputChanged)) {
        changed();
      }
    } finally {
      lock.unlock();
    }
  }

  private void write() {
    if (!messageChanged && !progressChanged && !outputChanged) {
      return;
    }
    StepReport report = new StepReport(
        messageChanged ? message : null,
        progressChanged ? progress : null,
        outputChanged ? output.text() : null,
        outputChanged ? output.printedBytes() : null);
    lastWrite = clock.instant();
    try {
      writer.accept(report);
      messageChanged = false;
      progressChanged = false;
      outputChanged = false;
    } catch (RuntimeException e) {
      // Reporting never fails a step (a restore must not be retried because its output was not saved);
      // what changed stays unwritten and goes with the next write.
      log.warn("Run {}: could not record the step's progress, message or output: {}", runId, e.toString());
    }
  }
}
