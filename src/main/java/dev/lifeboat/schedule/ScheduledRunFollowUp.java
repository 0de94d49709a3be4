package dev.lifeboat.schedule;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After a schedule's run made a backup: its proof ({@code backup-verify}) when the schedule asks for
 * one, and {@code backup-prune} of that backup's source. Both run as {@code schedule:<name>}.
 */
@Component
class ScheduledRunFollowUp {

  private static final Logger log = LoggerFactory.getLogger(ScheduledRunFollowUp.class);
  static final String VERIFY_RUNBOOK = "backup-verify";
  static final String PRUNE_RUNBOOK = "backup-prune";

  private final ScheduleService schedules;
  private final BackupCatalog catalog;
  private final RunService runs;

  ScheduledRunFollowUp(ScheduleService schedules, BackupCatalog catalog, RunService runs) {
    this.schedules = schedules;
    this.catalog = catalog;
    this.runs = runs;
  }

  @EventListener
  void on(RunFinished finished) {
    if (finished.status() != RunStatus.COMPLETED) {
      return;
    }
    try {
      Optional<Schedule> schedule = schedules.scheduleOfRun(finished.runId());
      if (schedule.isEmpty()) {
        return;
      }
      for (Backup backup : catalog.madeBy(finished.runId())) {
        if (schedule.get().verifyAfterBackup()) {
          start(VERIFY_RUNBOOK, Map.of("backupId", backup.id()), schedule.get());
        }
        start(PRUNE_RUNBOOK, Map.of("kind", backup.kind(), "source", backup.source()), schedule.get());
      }
    } catch (RuntimeException e) {
      log.warn("After run {}: follow-up runs not started: {}", finished.runId(), e.getMessage(), e);
    }
  }

  private void start(String runbook, Map<String, Object> parameters, Schedule schedule) {
    try {
      String runId = runs.start(runbook, parameters, schedule.initiator()).id();
      log.info("Schedule {}: {} started as run {} ({})", schedule.name(), runbook, runId, parameters);
    } catch (RuntimeException e) {
      log.warn("Schedule {}: {} with {} did not start: {}", schedule.name(), runbook, parameters, e.getMessage());
    }
  }
}
