package dev.lifeboat.schedule;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupCatalog.SourceFreshness;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * How fresh each source's backups are: its newest backup, its newest proof, and, for a source made
 * by a schedule, the next slot and whether it is stale (no new backup for longer than the
 * schedule's interval plus {@code lifeboat.schedules.stale-grace}).
 */
@Service
public class Freshness {

  private final BackupCatalog catalog;
  private final ScheduleService schedules;
  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final Duration grace;

  Freshness(BackupCatalog catalog, ScheduleService schedules, JdbcClient jdbc, ApplicationEventPublisher events,
      Clock clock, SchedulesProperties properties) {
    this.catalog = catalog;
    this.schedules = schedules;
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
    this.grace = properties.staleGrace();
  }

  /**
   * One source: {@code schedule} is the schedule of its newest scheduled backup (null when none made
   * one, or it is gone); {@code expectedInterval} that schedule's interval; {@code stale} only for a
   * source of a schedule that is not paused.
   */
  public record SourceStatus(String kind, String source, long backups, Instant lastSuccess, Instant lastVerified,
      String schedule, Instant nextSlot, Duration expectedInterval, boolean stale) {}

  public List<SourceStatus> sources() {
    Instant now = clock.instant();
    List<SourceStatus> statuses = new ArrayList<>();
    for (SourceFreshness source : catalog.freshness()) {
      Optional<Schedule> schedule = source.schedule() == null ? Optional.empty() : schedules.findByName(source.schedule());
      Duration interval = schedule.map(s -> CronSlots.parse(s.cron(), s.timeZone()).expectedInterval(now)).orElse(null);
      boolean stale = schedule.isPresent() && !schedule.get().paused()
          && Duration.between(source.lastSuccess(), now).compareTo(interval.plus(grace)) > 0;
      statuses.add(new SourceStatus(source.kind(), source.source(), source.backups(), source.lastSuccess(),
          source.lastVerified(), schedule.map(Schedule::name).orElse(null),
          schedule.map(Schedule::nextRunAt).orElse(null), interval, stale));
    }
    return statuses;
  }

  /**
   * Publishes {@link BackupStale} for each source that became stale since the last check (once per
   * stale spell, whichever instance checks: the row in {@code freshness_alerts} is the mark).
   */
  public void check() {
    Instant now = clock.instant();
    for (SourceStatus status : sources()) {
      if (status.stale()) {
        try {
          jdbc.sql("insert into freshness_alerts (kind, source, stale_since) values (?, ?, ?)")
              .params(status.kind(), status.source(), Timestamp.from(now)).update();
        } catch (DuplicateKeyException already) {
          continue;
        }
        events.publishEvent(new BackupStale(status.kind(), status.source(), status.schedule(), status.lastSuccess(),
            status.expectedInterval()));
      } else {
        jdbc.sql("delete from freshness_alerts where kind = ? and source = ?")
            .params(status.kind(), status.source()).update();
      }
    }
  }
}
