package dev.lifeboat.schedule;

import dev.lifeboat.retention.RetentionPolicy;
import java.time.Instant;
import java.util.Map;

/**
 * A runbook started at every slot of {@code cron} in {@code timeZone}; its runs have the initiator
 * {@code schedule:<name>} and the backups they make are scheduled ones, kept by {@code retention}.
 *
 * @param verifyAfterBackup start backup-verify on each backup a run of this schedule makes
 * @param lastRunStatus the status of the run of the latest started slot
 * @param lastSlotStatus how the latest handled slot went: STARTED, SKIPPED, MISSED or FAILED
 */
public record Schedule(
    String id,
    String name,
    String runbook,
    Map<String, Object> parameters,
    String cron,
    String timeZone,
    RetentionPolicy retention,
    boolean verifyAfterBackup,
    boolean paused,
    Instant nextRunAt,
    Instant lastRunAt,
    String lastRunId,
    String lastRunStatus,
    Instant lastSlotAt,
    String lastSlotStatus,
    String createdBy,
    Instant createdAt,
    String updatedBy,
    Instant updatedAt) {

  /** The initiator of the runs this schedule starts. */
  public String initiator() {
    return dev.lifeboat.catalog.Backup.SCHEDULE_PREFIX + name;
  }
}
