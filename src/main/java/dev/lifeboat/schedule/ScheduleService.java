package dev.lifeboat.schedule;

import dev.lifeboat.retention.RetentionPolicy;
import dev.lifeboat.runbook.InvalidParametersException;
import dev.lifeboat.runbook.ParameterValidator;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/** Creates, changes, pauses and lists schedules (README, "Schedules"). */
@Service
public class ScheduleService {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final ScheduleRepository repository;
  private final RunbookCatalog runbooks;
  private final ParameterValidator validator;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  ScheduleService(ScheduleRepository repository, RunbookCatalog runbooks, ParameterValidator validator,
      ApplicationEventPublisher events, Clock clock) {
    this.repository = repository;
    this.runbooks = runbooks;
    this.validator = validator;
    this.events = events;
    this.clock = clock;
  }

  public List<Schedule> list() {
    return repository.all().stream().map(this::view).toList();
  }

  public Schedule get(String id) {
    return view(row(id));
  }

  public Optional<Schedule> findByName(String name) {
    return repository.findByName(name).map(this::view);
  }

  public Schedule create(ScheduleRequest request, String actor) {
    Checked checked = check(request, null);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    boolean paused = Boolean.TRUE.equals(request.paused());
    try {
      repository.insert(new ScheduleRepository.Row(id, request.name(), request.runbook(), checked.parameters(),
          checked.cron().text(), checked.cron().zone().getId(), checked.retention(),
          Boolean.TRUE.equals(request.verifyAfterBackup()), paused, now, null, actor, now, null, null));
    } catch (DuplicateKeyException e) {
      throw new ScheduleConflictException("a schedule named '" + request.name() + "' exists already");
    }
    events.publishEvent(new ScheduleChanged(request.name(), "created", actor, describe(repository.find(id).orElseThrow())));
    return get(id);
  }

  /** Replaces the schedule; a changed cron or time zone counts slots from now, so no old slot is caught up. */
  public Schedule update(String id, ScheduleRequest request, String actor) {
    ScheduleRepository.Row old = row(id);
    Checked checked = check(request, id);
    Instant now = clock.instant();
    boolean timingChanged = !old.cron().equals(checked.cron().text())
        || !old.timeZone().equals(checked.cron().zone().getId());
    boolean paused = request.paused() == null ? old.paused() : request.paused();
    boolean resumed = old.paused() && !paused;
    Instant slotsFrom = timingChanged || resumed ? now : old.slotsFrom();
    try {
      repository.update(new ScheduleRepository.Row(id, request.name(), request.runbook(), checked.parameters(),
          checked.cron().text(), checked.cron().zone().getId(), checked.retention(),
          Boolean.TRUE.equals(request.verifyAfterBackup()), paused, slotsFrom, old.lastSlotAt(), old.createdBy(),
          old.createdAt(), actor, now));
    } catch (DuplicateKeyException e) {
      throw new ScheduleConflictException("a schedule named '" + request.name() + "' exists already");
    }
    if (timingChanged || resumed) {
      repository.handledUpTo(id, now); // slots before the change are neither run nor counted missed
    }
    events.publishEvent(new ScheduleChanged(request.name(), "changed", actor, describe(row(id))));
    return get(id);
  }

  public void delete(String id, String actor) {
    ScheduleRepository.Row old = row(id);
    repository.delete(id);
    events.publishEvent(new ScheduleChanged(old.name(), "deleted", actor, describe(old)));
  }

  /** Paused: no slot starts; slots while paused are not counted as missed. */
  public Schedule pause(String id, String actor) {
    return setPaused(id, true, actor);
  }

  /** Resumed: slots count from now on (nothing from the pause is caught up). */
  public Schedule resume(String id, String actor) {
    return setPaused(id, false, actor);
  }

  private Schedule setPaused(String id, boolean paused, String actor) {
    ScheduleRepository.Row old = row(id);
    if (old.paused() != paused) {
      Instant now = clock.instant();
      repository.update(new ScheduleRepository.Row(id, old.name(), old.runbook(), old.parameters(), old.cron(),
          old.timeZone(), old.retention(), old.verifyAfterBackup(), paused, paused ? old.slotsFrom() : now,
          old.lastSlotAt(), old.createdBy(), old.createdAt(), actor, now));
      if (!paused) {
        repository.handledUpTo(id, now);
      }
      events.publishEvent(new ScheduleChanged(old.name(), paused ? "paused" : "resumed", actor, Map.of()));
    }
    return get(id);
  }

  /** The latest slots of a schedule, newest first. */
  public List<Slot> slots(String id, int limit) {
    row(id);
    return repository.slots(id, limit);
  }

  /** The next {@code count} slots of {@code cron} in {@code timeZone}; {@link IllegalArgumentException} when either is wrong. */
  public List<Instant> preview(String cron, String timeZone, int count) {
    return CronSlots.parse(cron, timeZone).next(clock.instant(), count);
  }

  /** The schedule that started a run, if a schedule did. */
  public Optional<Schedule> scheduleOfRun(String runId) {
    return repository.scheduleOfRun(runId).map(this::view);
  }

  /** Slots that did not run (MISSED and SKIPPED) per schedule, for the metric. */
  public Map<String, Long> missedSlots() {
    return repository.missedByName();
  }

  private ScheduleRepository.Row row(String id) {
    return repository.find(id).orElseThrow(() -> new ScheduleNotFoundException(id));
  }

  private Schedule view(ScheduleRepository.Row row) {
    Instant now = clock.instant();
    Instant next = null;
    if (!row.paused()) {
      CronSlots cron = CronSlots.parse(row.cron(), row.timeZone());
      Instant from = row.lastSlotAt() != null && row.lastSlotAt().isAfter(row.slotsFrom()) ? row.lastSlotAt()
          : row.slotsFrom();
      next = cron.next(from);
      if (next != null && next.isBefore(now)) {
        next = now; // due: the next tick starts it
      }
    }
    Optional<ScheduleRepository.LastRun> last = repository.lastRun(row.id());
    Optional<Slot> lastSlot = repository.lastSlot(row.id());
    return new Schedule(row.id(), row.name(), row.runbook(), row.parameters(), row.cron(), row.timeZone(),
        row.retention(), row.verifyAfterBackup(), row.paused(), next,
        last.map(ScheduleRepository.LastRun::startedAt).orElse(null),
        last.map(ScheduleRepository.LastRun::runId).orElse(null),
        last.map(ScheduleRepository.LastRun::status).orElse(null),
        lastSlot.map(Slot::slotAt).orElse(null), lastSlot.map(Slot::status).orElse(null),
        row.createdBy(), row.createdAt(), row.updatedBy(), row.updatedAt());
  }

  private record Checked(Map<String, Object> parameters, CronSlots cron, RetentionPolicy retention) {}

  private Checked check(ScheduleRequest request, String id) {
    List<String> problems = new ArrayList<>();
    if (request.name() == null || !NAME.matcher(request.name()).matches()) {
      problems.add("name: 1 to 63 lower-case letters, digits and '-', starting with a letter or digit (it becomes the"
          + " runs' initiator schedule:<name>)");
    }
    Map<String, Object> parameters = request.parameters() == null ? Map.of() : request.parameters();
    Runbook runbook = request.runbook() == null ? null : runbooks.find(request.runbook()).orElse(null);
    if (runbook == null) {
      problems.add("runbook: " + (request.runbook() == null ? "required" : "unknown runbook '" + request.runbook() + "'")
          + " (GET /api/runbooks lists them)");
    } else {
      try {
        validator.validate(runbook, parameters);
      } catch (InvalidParametersException e) {
        e.problems().forEach(p -> problems.add("parameters: " + p));
      }
    }
    CronSlots cron = null;
    try {
      cron = CronSlots.parse(request.cron(), request.timeZone());
      if (cron.next(clock.instant()) == null) {
        problems.add("cron: '" + request.cron() + "' has no slot in the coming years");
      }
    } catch (IllegalArgumentException e) {
      problems.add((e.getMessage().startsWith("unknown time zone") ? "timeZone: " : "cron: ") + e.getMessage());
    }
    RetentionPolicy retention = request.retention() == null ? RetentionPolicy.DEFAULT : request.retention();
    if (!problems.isEmpty()) {
      throw new InvalidScheduleException(problems);
    }
    Map<String, Object> kept = new LinkedHashMap<>(parameters);
    return new Checked(kept, cron, retention);
  }

  private static Map<String, Object> describe(ScheduleRepository.Row row) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("id", row.id());
    details.put("runbook", row.runbook());
    details.put("parameters", row.parameters());
    details.put("cron", row.cron());
    details.put("timeZone", row.timeZone());
    details.put("retention", row.retention().describe());
    details.put("verifyAfterBackup", row.verifyAfterBackup());
    details.put("paused", row.paused());
    return details;
  }
}
