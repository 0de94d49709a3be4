package dev.lifeboat.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApprovalRepository {

  /** A row with what the service needs beyond the public record. */
  record Row(ApprovalRecord record, String elementId, String runbook, String initiator, Map<String, Object> evidence) {}

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  ApprovalRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Records a task once; the engine may hand the same job over again (after a job timeout). */
  boolean insertIfAbsent(long id, String runId, String elementId, String name, Map<String, Object> evidence,
      Instant created, Instant expires) {
    if (jdbc.sql("select count(*) from approval_tasks where id = ?").param(id).query(Integer.class).single() > 0) {
      return false;
    }
    // A new task for the same step replaces what an earlier engine instance left open (resume).
    jdbc.sql("update approval_tasks set status = 'CLOSED' where run_id = ? and element_id = ? and status = 'OPEN'")
        .params(runId, elementId)
        .update();
    jdbc.sql("""
            insert into approval_tasks (id, run_id, element_id, name, status, evidence, created_at, expires_at)
            values (?, ?, ?, ?, 'OPEN', ?, ?, ?)""")
        .params(id, runId, elementId, name, write(evidence), Timestamp.from(created),
            expires == null ? null : Timestamp.from(expires))
        .update();
    return true;
  }

  /** Open tasks of runs that still wait for them, oldest first. */
  List<Row> open() {
    return jdbc.sql("""
            select t.*, r.runbook, r.initiator from approval_tasks t join runs r on r.id = t.run_id
            where t.status = 'OPEN' and r.status = 'WAITING_FOR_APPROVAL' order by t.created_at""")
        .query(this::row)
        .list();
  }

  Optional<Row> find(long id) {
    return jdbc.sql("""
            select t.*, r.runbook, r.initiator from approval_tasks t join runs r on r.id = t.run_id where t.id = ?""")
        .param(id)
        .query(this::row)
        .optional();
  }

  Optional<Row> findOpen(String runId) {
    return jdbc.sql("""
            select t.*, r.runbook, r.initiator from approval_tasks t join runs r on r.id = t.run_id
            where t.run_id = ? and t.status = 'OPEN' order by t.created_at desc""")
        .param(runId)
        .query(this::row)
        .list()
        .stream()
        .findFirst();
  }

  List<ApprovalRecord> forRun(String runId) {
    return jdbc.sql("""
            select t.*, r.runbook, r.initiator from approval_tasks t join runs r on r.id = t.run_id
            where t.run_id = ? order by t.created_at""")
        .param(runId)
        .query(this::row)
        .list()
        .stream()
        .map(Row::record)
        .toList();
  }

  boolean hasDecided(String runId, String username) {
    return jdbc.sql("select count(*) from approval_tasks where run_id = ? and decided_by = ?")
        .params(runId, username)
        .query(Integer.class)
        .single() > 0;
  }

  /** Takes the decision if the task is still open; false when someone or something got there first. */
  boolean decide(long id, ApprovalStatus status, String username, String comment, Instant now) {
    return jdbc.sql("""
            update approval_tasks set status = ?, decided_by = ?, decided_at = ?, comment = ?
            where id = ? and status = 'OPEN'""")
        .params(status.name(), username, Timestamp.from(now), comment, id)
        .update() == 1;
  }

  /** Gives a decision back when the engine did not take it. */
  void reopen(long id, String username) {
    jdbc.sql("""
            update approval_tasks set status = 'OPEN', decided_by = null, decided_at = null, comment = null
            where id = ? and decided_by = ?""")
        .params(id, username)
        .update();
  }

  int close(String runId, ApprovalStatus status, Instant now) {
    return jdbc.sql("update approval_tasks set status = ?, decided_at = ? where run_id = ? and status = 'OPEN'")
        .params(status.name(), Timestamp.from(now), runId)
        .update();
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    Timestamp expires = rs.getTimestamp("expires_at");
    Timestamp decided = rs.getTimestamp("decided_at");
    ApprovalRecord record = new ApprovalRecord(
        rs.getLong("id"),
        rs.getString("run_id"),
        rs.getString("name"),
        ApprovalStatus.valueOf(rs.getString("status")),
        rs.getTimestamp("created_at").toInstant(),
        expires == null ? null : expires.toInstant(),
        rs.getString("decided_by"),
        decided == null ? null : decided.toInstant(),
        rs.getString("comment"));
    return new Row(record, rs.getString("element_id"), rs.getString("runbook"), rs.getString("initiator"),
        read(rs.getString("evidence")));
  }

  private String write(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot store the evidence as JSON: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored evidence is not JSON: " + e.getMessage(), e);
    }
  }
}
