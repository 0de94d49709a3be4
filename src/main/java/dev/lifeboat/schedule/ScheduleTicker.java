package dev.lifeboat.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Handles the due slots of every schedule that is not paused; db-scheduler calls {@link #tick} on
 * one Lifeboat instance at a time. Delivery is at least once, so each slot is claimed first by
 * inserting its row (primary key schedule + slot): a slot whose row exists is never started again.
 *
 * <p>Of the slots that fell due since the last tick, only the latest runs; earlier ones (Lifeboat
 * was down, or the tick late) are recorded MISSED. A slot whose previous run of the same schedule
 * is still active is recorded SKIPPED with that run named.
 */
public class ScheduleTicker {

  private static final Logger log = LoggerFactory.getLogger(ScheduleTicker.class);
  /** Slots looked back over after a long downtime; the older ones are neither run nor recorded. */
  static final int MAX_SLOTS = 1000;

  /** Starts a run; returns its id or throws saying why it could not. */
  @FunctionalInterface
  public interface RunStarter {
    String start(String runbook, Map<String, Object> parameters, String initiator);
  }

  private final ScheduleRepository repository;
  private final RunStarter runs;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  ScheduleTicker(ScheduleRepository repository, RunStarter runs, ApplicationEventPublisher events, Clock clock) {
    this.repository = repository;
    this.runs = runs;
    this.events = events;
    this.clock = clock;
  }

  /** Handles every due slot; returns the number of runs started. */
  public int tick() {
    int started = 0;
    for (ScheduleRepository.Row schedule : repository.active()) {
      try {
        started += handle(schedule);
      } catch (RuntimeException e) {
        log.warn("Schedule {}: slots not handled this time: {}", schedule.name(), e.getMessage(), e);
      }
    }
    return started;
  }

  private int handle(ScheduleRepository.Row schedule) {
    Instant now = clock.instant();
    CronSlots cron = CronSlots.parse(schedule.cron(), schedule.timeZone());
    Instant from = schedule.lastSlotAt() != null && schedule.lastSlotAt().isAfter(schedule.slotsFrom())
        ? schedule.lastSlotAt()
        : schedule.slotsFrom();
    List<Instant> due = cron.between(from, now, MAX_SLOTS);
    if (due.isEmpty()) {
      return 0;
    }
    Instant latest = due.getLast();
    for (Instant slot : due.subList(0, due.size() - 1)) {
      String reason = "Lifeboat did not handle this slot in time (down or busy); the latest due slot, "
          + latest + ", ran instead";
      if (repository.claim(schedule.id(), slot, Slot.MISSED, reason, now)) {
        log.warn("Schedule {}: slot {} missed", schedule.name(), slot);
        events.publishEvent(new ScheduleSlotMissed(schedule.name(), schedule.runbook(), slot, Slot.MISSED, reason));
      }
    }
    int started = start(schedule, latest, now) ? 1 : 0;
    repository.handledUpTo(schedule.id(), latest);
    return started;
  }

  private boolean start(ScheduleRepository.Row schedule, Instant slot, Instant now) {
    Optional<String> active = repository.activeRun(schedule.id());
    if (active.isPresent()) {
      String reason = "run " + active.get() + " of the previous slot is still active; slots never overlap";
      if (repository.claim(schedule.id(), slot, Slot.SKIPPED, reason, now)) {
        log.info("Schedule {}: slot {} skipped: {}", schedule.name(), slot, reason);
        events.publishEvent(new ScheduleSlotMissed(schedule.name(), schedule.runbook(), slot, Slot.SKIPPED, reason));
      }
      return false;
    }
    if (!repository.claim(schedule.id(), slot, Slot.STARTING, null, now)) {
      return false; // handled already, here or by another instance
    }
    String initiator = dev.lifeboat.catalog.Backup.SCHEDULE_PREFIX + schedule.name();
    try {
      String runId = runs.start(schedule.runbook(), schedule.parameters(), initiator);
      repository.slotOutcome(schedule.id(), slot, Slot.STARTED, runId, null);
      log.info("Schedule {}: slot {} started run {} of {}", schedule.name(), slot, runId, schedule.runbook());
      return true;
    } catch (RuntimeException e) {
      String reason = "the run could not start: " + e.getMessage();
      repository.slotOutcome(schedule.id(), slot, Slot.FAILED, null, reason);
      log.warn("Schedule {}: slot {}: {}", schedule.name(), slot, reason);
      events.publishEvent(new ScheduleSlotMissed(schedule.name(), schedule.runbook(), slot, Slot.FAILED, reason));
      return false;
    }
  }
}
