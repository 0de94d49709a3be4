package dev.lifeboat.schedule;

import java.time.Instant;

/** One slot of a schedule as it was handled: STARTING, STARTED, SKIPPED, MISSED or FAILED. */
public record Slot(String scheduleId, Instant slotAt, String status, String runId, String reason, Instant recordedAt) {

  public static final String STARTING = "STARTING";
  public static final String STARTED = "STARTED";
  public static final String SKIPPED = "SKIPPED";
  public static final String MISSED = "MISSED";
  public static final String FAILED = "FAILED";
}
