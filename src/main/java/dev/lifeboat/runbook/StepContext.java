package dev.lifeboat.runbook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What a running step may tell Lifeboat while it works: progress and a closing message. */
public final class StepContext {

  private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

  private final String runId;
  private final String elementId;
  private final RunRepository repository;
  private final Clock clock;
  private Instant lastProgress = Instant.EPOCH;
  private String message;

  StepContext(String runId, String elementId, RunRepository repository, Clock clock) {
    this.runId = runId;
    this.elementId = elementId;
    this.repository = repository;
    this.clock = clock;
  }

  public String runId() {
    return runId;
  }

  /** Reports progress; written at most twice a second, so it is cheap to call per chunk. */
  public void progress(long done, Long total, String unit) {
    Instant now = clock.instant();
    boolean last = total != null && done >= total;
    if (!last && Duration.between(lastProgress, now).compareTo(PROGRESS_INTERVAL) < 0) {
      return;
    }
    lastProgress = now;
    repository.stepProgress(runId, elementId, Progress.of(done, total, unit));
  }

  /** The line shown beside the step once it is done, e.g. "3 members, etcd 3.4.30". */
  public void message(String message) {
    this.message = message;
    repository.stepMessage(runId, elementId, message);
  }

  /** The last message this step gave, or null. */
  public String message() {
    return message;
  }
}
