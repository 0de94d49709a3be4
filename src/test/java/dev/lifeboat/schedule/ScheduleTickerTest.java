package dev.lifeboat.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.retention.RetentionPolicy;
import dev.lifeboat.testsupport.MutableClock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The slot logic on a fixed clock (H2 in memory, Lifeboat's migrations): after downtime over three
 * slots the latest runs once and the others are recorded missed; a slot whose previous run is still
 * active is skipped with that run named; a tick delivered twice starts nothing twice.
 */
class ScheduleTickerTest {

  private static final Instant CREATED = Instant.parse("2026-11-30T10:00:30Z");

  final MutableClock clock = new MutableClock(CREATED);
  final List<String> started = new CopyOnWriteArrayList<>();
  final List<Object> events = new CopyOnWriteArrayList<>();
  JdbcClient jdbc;
  ScheduleRepository repository;
  ScheduleTicker ticker;

  @BeforeEach
  void database() {
    DataSource database = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Flyway.configure().dataSource(database).locations("classpath:db/migration", "classpath:db/vendor/h2").load().migrate();
    jdbc = JdbcClient.create(database);
    repository = new ScheduleRepository(jdbc, new ObjectMapper().registerModule(new JavaTimeModule()));
    ticker = new ScheduleTicker(repository, (runbook, parameters, initiator) -> {
      String runId = UUID.randomUUID().toString();
      jdbc.sql("insert into runs (id, runbook, status, initiator, parameters, outputs, created_at)"
              + " values (?, ?, 'RUNNING', ?, '{}', '{}', ?)")
          .params(runId, runbook, initiator, Timestamp.from(clock.instant())).update();
      started.add(runId);
      return runId;
    }, events::add, clock);
  }

  private String schedule(String name, String cron) {
    String id = UUID.randomUUID().toString();
    repository.insert(new ScheduleRepository.Row(id, name, "backup-prune", Map.of("dryRun", true), cron, "UTC",
        RetentionPolicy.DEFAULT, false, false, CREATED, null, "olivia", CREATED, null, null));
    return id;
  }

  private void finishAll() {
    jdbc.sql("update runs set status = 'COMPLETED'").update();
  }

  private List<String> statuses(String scheduleId) {
    List<String> statuses = new ArrayList<>();
    repository.slots(scheduleId, 100).reversed().forEach(slot -> statuses.add(slot.slotAt() + " " + slot.status()));
    return statuses;
  }

  @Test
  void eachSlotStartsOneRunWithTheSchedulesInitiator() {
    String id = schedule("every-minute", "* * * * *");
    assertThat(ticker.tick()).isZero();
    clock.set("2026-11-30T10:01:02Z");
    assertThat(ticker.tick()).isEqualTo(1);
    assertThat(ticker.tick()).as("the same slot again").isZero();
    finishAll();
    clock.set("2026-11-30T10:02:01Z");
    assertThat(ticker.tick()).isEqualTo(1);
    assertThat(statuses(id)).containsExactly("2026-11-30T10:01:00Z STARTED", "2026-11-30T10:02:00Z STARTED");
    assertThat(jdbc.sql("select initiator from runs").query(String.class).list()).containsOnly("schedule:every-minute");
    assertThat(repository.lastRun(id).orElseThrow().runId()).isEqualTo(started.getLast());
  }

  @Test
  void afterDowntimeOverThreeSlotsTheLatestRunsOnceAndTheOthersAreMissed() {
    String id = schedule("catch-up", "* * * * *");
    clock.set("2026-11-30T10:01:01Z");
    ticker.tick();
    finishAll();
    // Down from 10:01:30 to 10:04:20: the slots 10:02, 10:03 and 10:04 fell due meanwhile.
    clock.set("2026-11-30T10:04:20Z");
    assertThat(ticker.tick()).isEqualTo(1);
    assertThat(statuses(id)).containsExactly("2026-11-30T10:01:00Z STARTED", "2026-11-30T10:02:00Z MISSED",
        "2026-11-30T10:03:00Z MISSED", "2026-11-30T10:04:00Z STARTED");
    assertThat(events).filteredOn(ScheduleSlotMissed.class::isInstance).hasSize(2)
        .allSatisfy(e -> assertThat(((ScheduleSlotMissed) e).status()).isEqualTo(Slot.MISSED));
    assertThat(repository.missedByName()).containsEntry("catch-up", 2L);
    assertThat(ticker.tick()).as("nothing more is due").isZero();
  }

  @Test
  void aSlotWhosePreviousRunIsStillActiveIsSkippedWithTheReason() {
    String id = schedule("overlap", "* * * * *");
    clock.set("2026-11-30T10:01:01Z");
    ticker.tick();
    String first = started.getFirst();
    clock.set("2026-11-30T10:02:01Z");
    assertThat(ticker.tick()).as("run of 10:01 still RUNNING").isZero();
    Slot skipped = repository.slots(id, 1).getFirst();
    assertThat(skipped.status()).isEqualTo(Slot.SKIPPED);
    assertThat(skipped.reason()).contains("run " + first + " of the previous slot is still active");
    finishAll();
    clock.set("2026-11-30T10:03:01Z");
    assertThat(ticker.tick()).isEqualTo(1);
    assertThat(statuses(id)).containsExactly("2026-11-30T10:01:00Z STARTED", "2026-11-30T10:02:00Z SKIPPED",
        "2026-11-30T10:03:00Z STARTED");
  }

  @Test
  void twoTickersOnOneDatabaseStartASlotOnce() {
    schedule("twice", "* * * * *");
    ScheduleTicker other = new ScheduleTicker(repository, (runbook, parameters, initiator) -> {
      started.add("other");
      return UUID.randomUUID().toString();
    }, events::add, clock);
    clock.set("2026-11-30T10:01:01Z");
    // The other instance's tick read the schedule before this one moved its mark (at-least-once delivery).
    int first = ticker.tick();
    jdbc.sql("update schedules set last_slot_at = null").update();
    int second = other.tick();
    assertThat(first + second).isEqualTo(1);
    assertThat(started).hasSize(1);
  }

  @Test
  void aPausedScheduleStartsNothingAndARunThatCannotStartIsRecordedFailed() {
    String paused = schedule("paused", "* * * * *");
    jdbc.sql("update schedules set paused = true where id = ?").param(paused).update();
    String broken = schedule("broken", "* * * * *");
    ScheduleTicker refusing = new ScheduleTicker(repository, (runbook, parameters, initiator) -> {
      throw new IllegalStateException("the workflow engine did not start the run: down");
    }, events::add, clock);
    clock.set("2026-11-30T10:01:01Z");
    assertThat(refusing.tick()).isZero();
    assertThat(repository.slots(paused, 10)).isEmpty();
    Slot failed = repository.slots(broken, 1).getFirst();
    assertThat(failed.status()).isEqualTo(Slot.FAILED);
    assertThat(failed.reason()).contains("engine did not start the run");
  }
}
