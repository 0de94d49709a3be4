package dev.lifeboat.metrics;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupCatalog.SourceFreshness;
import dev.lifeboat.schedule.CronSlots;
import dev.lifeboat.schedule.Freshness;
import dev.lifeboat.schedule.Schedule;
import dev.lifeboat.schedule.ScheduleService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Lifeboat's own metrics for Prometheus, read from the database (so every instance reports the
 * same, whichever ran the work) each time {@code /actuator/prometheus} is scraped:
 * <ul>
 *   <li>{@code lifeboat_backup_last_success_timestamp_seconds{kind,source}}: the newest backup</li>
 *   <li>{@code lifeboat_backup_last_verified_timestamp_seconds{kind,source}}: the newest proof</li>
 *   <li>{@code lifeboat_schedule_expected_interval_seconds{schedule}}: how far apart its slots are</li>
 *   <li>{@code lifeboat_backup_expected_interval_seconds{kind,source,schedule}}: the same for each
 *       source a schedule backs up, for the freshness alert</li>
 *   <li>{@code lifeboat_schedule_missed_total{schedule}}: its slots that did not run (missed, skipped)</li>
 *   <li>{@code lifeboat_runs_total{runbook,status}}: finished runs by final status</li>
 * </ul>
 */
@Component
public class LifeboatMetrics {

  private final BackupCatalog catalog;
  private final ScheduleService schedules;
  private final JdbcClient jdbc;
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge lastSuccess;
  private final MultiGauge lastVerified;
  private final MultiGauge expectedInterval;
  private final MultiGauge sourceInterval;
  private final Freshness freshness;
  private final Map<String, Long> missed = new ConcurrentHashMap<>();
  private final Map<List<String>, Long> runs = new ConcurrentHashMap<>();

  LifeboatMetrics(BackupCatalog catalog, ScheduleService schedules, Freshness freshness, JdbcClient jdbc,
      MeterRegistry registry, Clock clock) {
    this.freshness = freshness;
    this.catalog = catalog;
    this.schedules = schedules;
    this.jdbc = jdbc;
    this.registry = registry;
    this.clock = clock;
    this.lastSuccess = MultiGauge.builder("lifeboat.backup.last.success.timestamp").baseUnit("seconds")
        .description("When the newest backup of the source was catalogued").register(registry);
    this.lastVerified = MultiGauge.builder("lifeboat.backup.last.verified.timestamp").baseUnit("seconds")
        .description("When a backup of the source was last proven restorable").register(registry);
    this.expectedInterval = MultiGauge.builder("lifeboat.schedule.expected.interval").baseUnit("seconds")
        .description("How far apart the schedule's slots are").register(registry);
    this.sourceInterval = MultiGauge.builder("lifeboat.backup.expected.interval").baseUnit("seconds")
        .description("How far apart the backups of a scheduled source should be (its schedule's interval)")
        .register(registry);
  }

  /** Reads the current values; called before each scrape. */
  public synchronized void refresh() {
    List<MultiGauge.Row<?>> success = new ArrayList<>();
    List<MultiGauge.Row<?>> verified = new ArrayList<>();
    for (SourceFreshness source : catalog.freshness()) {
      Tags tags = Tags.of("kind", source.kind(), "source", source.source());
      success.add(MultiGauge.Row.of(tags, source.lastSuccess().toEpochMilli() / 1000.0));
      if (source.lastVerified() != null) {
        verified.add(MultiGauge.Row.of(tags, source.lastVerified().toEpochMilli() / 1000.0));
      }
    }
    lastSuccess.register(success, true);
    lastVerified.register(verified, true);

    List<MultiGauge.Row<?>> intervals = new ArrayList<>();
    for (Schedule schedule : schedules.list()) {
      double seconds = CronSlots.parse(schedule.cron(), schedule.timeZone()).expectedInterval(clock.instant()).toSeconds();
      intervals.add(MultiGauge.Row.of(Tags.of("schedule", schedule.name()), seconds));
    }
    expectedInterval.register(intervals, true);
    List<MultiGauge.Row<?>> sources = new ArrayList<>();
    for (Freshness.SourceStatus source : freshness.sources()) {
      if (source.expectedInterval() != null) {
        sources.add(MultiGauge.Row.of(Tags.of("kind", source.kind(), "source", source.source(), "schedule",
            source.schedule()), source.expectedInterval().toSeconds()));
      }
    }
    sourceInterval.register(sources, true);

    schedules.missedSlots().forEach((name, count) -> {
      missed.put(name, count);
      FunctionCounter.builder("lifeboat.schedule.missed", missed, m -> m.getOrDefault(name, 0L))
          .description("Slots of the schedule that did not run (missed while down, or skipped: overlap)")
          .tag("schedule", name).register(registry);
    });
    jdbc.sql("select runbook, status, count(*) from runs where finished_at is not null group by runbook, status")
        .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list()
        .forEach(row -> {
          List<String> key = List.of((String) row.get(0), (String) row.get(1));
          runs.put(key, (Long) row.get(2));
          FunctionCounter.builder("lifeboat.runs", runs, r -> r.getOrDefault(key, 0L))
              .description("Finished runs by runbook and final status")
              .tags("runbook", key.get(0), "status", key.get(1)).register(registry);
        });
  }
}
