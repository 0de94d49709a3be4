package dev.lifeboat.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.retention.RetentionPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Schedules and their slots in Lifeboat's database (V8). */
@Repository
class ScheduleRepository {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  ScheduleRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A schedule's row as stored, before next and last runs are added. */
  record Row(String id, String name, String runbook, Map<String, Object> parameters, String cron, String timeZone,
      RetentionPolicy retention, boolean verifyAfterBackup, boolean paused, Instant slotsFrom, Instant lastSlotAt,
      String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {}

  void insert(Row row) {
    jdbc.sql("""
            insert into schedules (id, name, runbook, parameters, cron, time_zone, retention, verify_after_backup, paused,
              slots_from, last_slot_at, created_by, created_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(row.id(), row.name(), row.runbook(), write(row.parameters()), row.cron(), row.timeZone(),
            write(row.retention()), row.verifyAfterBackup(), row.paused(), ts(row.slotsFrom()), ts(row.lastSlotAt()),
            row.createdBy(), ts(row.createdAt()))
        .update();
  }

  boolean update(Row row) {
    return jdbc.sql("""
            update schedules set name = ?, runbook = ?, parameters = ?, cron = ?, time_zone = ?, retention = ?,
              verify_after_backup = ?, paused = ?, slots_from = ?, updated_by = ?, updated_at = ?
            where id = ?""")
        .params(row.name(), row.runbook(), write(row.parameters()), row.cron(), row.timeZone(), write(row.retention()),
            row.verifyAfterBackup(), row.paused(), ts(row.slotsFrom()), row.updatedBy(), ts(row.updatedAt()), row.id())
        .update() == 1;
  }

  boolean delete(String id) {
    jdbc.sql("delete from schedule_slots where schedule_id = ?").param(id).update();
    return jdbc.sql("delete from schedules where id = ?").param(id).update() == 1;
  }

  Optional<Row> find(String id) {
    return jdbc.sql("select * from schedules where id = ?").param(id).query(this::row).optional();
  }

  Optional<Row> findByName(String name) {
    return jdbc.sql("select * from schedules where name = ?").param(name).query(this::row).optional();
  }

  List<Row> all() {
    return jdbc.sql("select * from schedules order by name").query(this::row).list();
  }

  List<Row> active() {
    return jdbc.sql("select * from schedules where paused = false order by name").query(this::row).list();
  }

  /** Moves the schedule's handled-up-to mark forward, never back. */
  void handledUpTo(String id, Instant slot) {
    jdbc.sql("update schedules set last_slot_at = ? where id = ? and (last_slot_at is null or last_slot_at < ?)")
        .params(ts(slot), id, ts(slot))
        .update();
  }

  /** Claims a slot: false when it was already claimed (the primary key), by this instance or another. */
  boolean claim(String scheduleId, Instant slot, String status, String reason, Instant now) {
    try {
      return jdbc.sql("""
              insert into schedule_slots (schedule_id, slot_at, status, reason, recorded_at) values (?, ?, ?, ?, ?)""")
          .params(scheduleId, ts(slot), status, reason, ts(now))
          .update() == 1;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  void slotOutcome(String scheduleId, Instant slot, String status, String runId, String reason) {
    jdbc.sql("update schedule_slots set status = ?, run_id = ?, reason = ? where schedule_id = ? and slot_at = ?")
        .params(status, runId, reason, scheduleId, ts(slot))
        .update();
  }

  /** The run of the schedule's latest started slot while it is still active, if any. */
  Optional<String> activeRun(String scheduleId) {
    return jdbc.sql("""
            select r.id from schedule_slots s join runs r on r.id = s.run_id
            where s.schedule_id = ? and r.status in ('RUNNING', 'WAITING_FOR_APPROVAL')
            order by s.slot_at desc""")
        .param(scheduleId)
        .query(String.class)
        .list()
        .stream()
        .findFirst();
  }

  /** The latest slots of a schedule, newest first. */
  List<Slot> slots(String scheduleId, int limit) {
    return jdbc.sql("select * from schedule_slots where schedule_id = ? order by slot_at desc limit ?")
        .params(scheduleId, limit)
        .query(this::slot)
        .list();
  }

  Optional<Slot> lastSlot(String scheduleId) {
    return slots(scheduleId, 1).stream().findFirst();
  }

  /** The latest slot that started a run, with the run's status. */
  Optional<LastRun> lastRun(String scheduleId) {
    return jdbc.sql("""
            select s.slot_at, s.run_id, r.status, r.created_at from schedule_slots s join runs r on r.id = s.run_id
            where s.schedule_id = ? and s.status = 'STARTED' order by s.slot_at desc limit 1""")
        .param(scheduleId)
        .query((rs, n) -> new LastRun(rs.getString("run_id"), rs.getString("status"), instant(rs, "created_at")))
        .optional();
  }

  record LastRun(String runId, String status, Instant startedAt) {}

  /** The schedule that started a run, if one did. */
  Optional<Row> scheduleOfRun(String runId) {
    return jdbc.sql("select schedule_id from schedule_slots where run_id = ?").param(runId).query(String.class)
        .optional().flatMap(this::find);
  }

  /** Slots that did not run (MISSED and SKIPPED) per schedule name, for the metric. */
  Map<String, Long> missedByName() {
    Map<String, Long> missed = new LinkedHashMap<>();
    jdbc.sql("""
            select c.name, count(s.slot_at) from schedules c
            left join schedule_slots s on s.schedule_id = c.id and s.status in ('MISSED', 'SKIPPED')
            group by c.name order by c.name""")
        .query((rs, n) -> missed.put(rs.getString(1), rs.getLong(2)))
        .list();
    return missed;
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    return new Row(rs.getString("id"), rs.getString("name"), rs.getString("runbook"), read(rs.getString("parameters")),
        rs.getString("cron"), rs.getString("time_zone"),
        json.convertValue(read(rs.getString("retention")), RetentionPolicy.class), rs.getBoolean("verify_after_backup"),
        rs.getBoolean("paused"), instant(rs, "slots_from"), instant(rs, "last_slot_at"), rs.getString("created_by"),
        instant(rs, "created_at"), rs.getString("updated_by"), instant(rs, "updated_at"));
  }

  private Slot slot(ResultSet rs, int n) throws SQLException {
    return new Slot(rs.getString("schedule_id"), instant(rs, "slot_at"), rs.getString("status"), rs.getString("run_id"),
        rs.getString("reason"), instant(rs, "recorded_at"));
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot store as JSON: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON in schedules table: " + e.getMessage(), e);
    }
  }
}
