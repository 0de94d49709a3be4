package dev.lifeboat.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Runs and their steps in Lifeboat's database, written as they happen. */
@Repository
class RunRepository {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  RunRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(String id, String runbook, String initiator, Map<String, Object> parameters, Instant now) {
    jdbc.sql("""
            insert into runs (id, runbook, status, initiator, parameters, outputs, created_at)
            values (?, ?, ?, ?, ?, '{}', ?)""")
        .params(id, runbook, RunStatus.RUNNING.name(), initiator, write(parameters), Timestamp.from(now))
        .update();
  }

  void setProcessInstance(String id, long processInstanceKey) {
    jdbc.sql("update runs set process_instance_key = ? where id = ?").params(processInstanceKey, id).update();
  }

  /** Moves an active run to a new status; returns false when the run was already finished. */
  boolean transition(String id, RunStatus status, String message, Instant now) {
    Timestamp finished = status.isActive() ? null : Timestamp.from(now);
    return jdbc.sql("""
            update runs set status = ?, message = coalesce(?, message), finished_at = ?
            where id = ? and status in ('RUNNING', 'WAITING_FOR_APPROVAL')""")
        .params(status.name(), message, finished, id)
        .update() == 1;
  }

  List<String> activeIds() {
    return jdbc.sql("select id from runs where status in ('RUNNING', 'WAITING_FOR_APPROVAL')")
        .query(String.class)
        .list();
  }

  @Transactional
  void addOutputs(String id, Map<String, Object> outputs) {
    Map<String, Object> merged = jdbc.sql("select outputs from runs where id = ? for update")
        .param(id)
        .query((rs, n) -> read(rs.getString(1)))
        .single();
    merged.putAll(outputs);
    jdbc.sql("update runs set outputs = ? where id = ?").params(write(merged), id).update();
  }

  @Transactional
  void stepStarted(String runId, String elementId, String name, Instant now) {
    int updated = jdbc.sql("""
            update run_steps set status = 'RUNNING', attempts = attempts + 1, started_at = ?,
              finished_at = null, progress_done = null, progress_total = null, progress_unit = null
            where run_id = ? and element_id = ?""")
        .params(Timestamp.from(now), runId, elementId)
        .update();
    if (updated == 0) {
      int seq = jdbc.sql("select count(*) from run_steps where run_id = ?").param(runId).query(Integer.class).single();
      jdbc.sql("""
              insert into run_steps (run_id, element_id, name, status, seq, attempts, started_at)
              values (?, ?, ?, 'RUNNING', ?, 1, ?)""")
          .params(runId, elementId, name, seq, Timestamp.from(now))
          .update();
    }
  }

  void stepFinished(String runId, String elementId, StepStatus status, String message, Instant now) {
    Timestamp finished = status == StepStatus.WAITING || status == StepStatus.RUNNING ? null : Timestamp.from(now);
    jdbc.sql("""
            update run_steps set status = ?, message = ?, finished_at = ?
            where run_id = ? and element_id = ?""")
        .params(status.name(), message, finished, runId, elementId)
        .update();
  }

  /** The variables a completed step handed to the engine, kept so that a resumed run can have them again. */
  void stepVariables(String runId, String elementId, Map<String, Object> variables) {
    jdbc.sql("update run_steps set variables = ? where run_id = ? and element_id = ?")
        .params(write(variables), runId, elementId)
        .update();
  }

  /** Parameters, then every completed step's variables in the order the steps ran. */
  Map<String, Object> recordedVariables(String runId) {
    Map<String, Object> variables = new LinkedHashMap<>(jdbc.sql("select parameters from runs where id = ?")
        .param(runId)
        .query((rs, n) -> read(rs.getString(1)))
        .single());
    jdbc.sql("""
            select variables from run_steps
            where run_id = ? and status = 'COMPLETED' and variables is not null order by seq""")
        .param(runId)
        .query((rs, n) -> read(rs.getString(1)))
        .list()
        .forEach(variables::putAll);
    return variables;
  }

  /** Makes a FAILED or INTERRUPTED run active again for its new engine instance. */
  boolean reopen(String id, String message) {
    return jdbc.sql("""
            update runs set status = 'RUNNING', message = ?, finished_at = null
            where id = ? and status in ('FAILED', 'INTERRUPTED')""")
        .params(message, id)
        .update() == 1;
  }

  /** Writes what a running step reported since its last report; {@code null} parts stay as they are. */
  void stepReport(String runId, String elementId, StepReport report) {
    List<String> columns = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (report.message() != null) {
      columns.add("message = ?");
      params.add(report.message());
    }
    if (report.progress() != null) {
      columns.add("progress_done = ?, progress_total = ?, progress_unit = ?");
      params.add(report.progress().done());
      params.add(report.progress().total());
      params.add(report.progress().unit());
    }
    if (report.output() != null) {
      columns.add("output = ?, output_bytes = ?");
      params.add(report.output());
      params.add(report.outputBytes());
    }
    if (columns.isEmpty()) {
      return;
    }
    params.add(runId);
    params.add(elementId);
    jdbc.sql("update run_steps set " + String.join(", ", columns) + " where run_id = ? and element_id = ?")
        .params(params)
        .update();
  }

  /** The output earlier attempts of a step printed, for the next attempt to continue. */
  StepOutput outputSoFar(String runId, String elementId) {
    return jdbc.sql("select attempts, output, output_bytes from run_steps where run_id = ? and element_id = ?")
        .params(runId, elementId)
        .query((rs, n) -> new StepOutput(rs.getString("output"), rs.getLong("output_bytes"), rs.getInt("attempts")))
        .optional()
        .orElseGet(StepOutput::new);
  }

  /** A step's output as kept; empty when there is no such step, "" when it printed nothing. */
  Optional<String> stepOutput(String runId, String elementId) {
    return jdbc.sql("select output from run_steps where run_id = ? and element_id = ?")
        .params(runId, elementId)
        .query((rs, n) -> {
          String output = rs.getString(1);
          return output == null ? "" : output;
        })
        .optional();
  }

  void stepMessage(String runId, String elementId, String message) {
    jdbc.sql("update run_steps set message = ? where run_id = ? and element_id = ?")
        .params(message, runId, elementId)
        .update();
  }

  void stepProgress(String runId, String elementId, Progress progress) {
    jdbc.sql("""
            update run_steps set progress_done = ?, progress_total = ?, progress_unit = ?
            where run_id = ? and element_id = ?""")
        .params(progress.done(), progress.total(), progress.unit(), runId, elementId)
        .update();
  }

  Optional<Run> find(String id) {
    return findWithoutSteps(id).map(run -> withSteps(run, steps(id)));
  }

  /** The run's own row only, for bookkeeping that does not need its steps. */
  Optional<Run> findWithoutSteps(String id) {
    return jdbc.sql("select * from runs where id = ?").param(id).query(this::run).optional();
  }

  Optional<String> findIdByProcessInstance(long processInstanceKey) {
    return jdbc.sql("select id from runs where process_instance_key = ?")
        .param(processInstanceKey)
        .query(String.class)
        .optional();
  }

  List<Run> list(String runbook, RunStatus status, int limit, int offset) {
    StringBuilder sql = new StringBuilder("select * from runs where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (runbook != null) {
      sql.append(" and runbook = ?");
      params.add(runbook);
    }
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status.name());
    }
    sql.append(" order by created_at desc, id limit ? offset ?");
    params.add(limit);
    params.add(offset);
    return jdbc.sql(sql.toString()).params(params).query(this::run).list();
  }

  List<Step> steps(String runId) {
    // Not select *: the output (up to a few hundred KiB a step) is read only when it is asked for.
    return jdbc.sql("""
            select element_id, name, status, started_at, finished_at, message, attempts,
              progress_done, progress_total, progress_unit, output_bytes
            from run_steps where run_id = ? order by seq""")
        .param(runId)
        .query(this::step)
        .list();
  }

  private Run run(ResultSet rs, int row) throws SQLException {
    long key = rs.getLong("process_instance_key");
    Long processInstanceKey = rs.wasNull() ? null : key;
    return new Run(
        rs.getString("id"),
        rs.getString("runbook"),
        RunStatus.valueOf(rs.getString("status")),
        rs.getString("initiator"),
        read(rs.getString("parameters")),
        read(rs.getString("outputs")),
        rs.getString("message"),
        processInstanceKey,
        instant(rs, "created_at"),
        instant(rs, "finished_at"),
        List.of());
  }

  private Step step(ResultSet rs, int row) throws SQLException {
    long outputBytes = rs.getLong("output_bytes");
    Long printed = rs.wasNull() ? null : outputBytes;
    long done = rs.getLong("progress_done");
    Progress progress = null;
    if (!rs.wasNull()) {
      long total = rs.getLong("progress_total");
      progress = Progress.of(done, rs.wasNull() ? null : total, rs.getString("progress_unit"));
    }
    return new Step(
        rs.getString("element_id"),
        rs.getString("name"),
        StepStatus.valueOf(rs.getString("status")),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getString("message"),
        rs.getInt("attempts"),
        progress,
        printed);
  }

  private static Run withSteps(Run run, List<Step> steps) {
    return new Run(run.id(), run.runbook(), run.status(), run.initiator(), run.parameters(), run.outputs(),
        run.message(), run.processInstanceKey(), run.createdAt(), run.finishedAt(), steps);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private String write(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot store as JSON: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON in runs table: " + e.getMessage(), e);
    }
  }
}
