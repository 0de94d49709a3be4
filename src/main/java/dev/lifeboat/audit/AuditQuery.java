package dev.lifeboat.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads the audit trail: pages newest first for people, everything in order for exports. */
@Service
public class AuditQuery {

  public static final int MAX_PAGE_SIZE = 500;
  /** Rows read per query when walking the whole trail, which keeps memory bounded. */
  static final int BATCH = 1000;

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  AuditQuery(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Page {@code page} (from 0) of {@code size} (1 to 500) matching events, newest first. */
  public AuditPage search(AuditFilter filter, int page, int size) {
    if (page < 0) {
      throw new InvalidAuditQueryException("page counts from 0; got " + page);
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new InvalidAuditQueryException("size must be between 1 and " + MAX_PAGE_SIZE + "; got " + size);
    }
    Where where = Where.of(filter);
    long total = jdbc.sql("select count(*) from audit_events" + where.sql())
        .params(where.params()).query(Long.class).single();
    List<Object> params = new ArrayList<>(where.params());
    params.add(size);
    params.add((long) page * size);
    List<AuditEvent> events = jdbc.sql("select * from audit_events" + where.sql() + " order by seq desc limit ? offset ?")
        .params(params).query(StoredEvent::read).list().stream().map(e -> e.toEvent(json)).toList();
    return new AuditPage(events, page, size, total);
  }

  /** Every matching event, oldest first, read in batches: memory stays bounded however long the trail. */
  public void forEach(AuditFilter filter, Consumer<AuditEvent> action) {
    forEachStored(filter, Long.MAX_VALUE, stored -> {
      action.accept(stored.toEvent(json));
      return true;
    });
  }

  /** The most recent event of this action, if there is one. */
  public Optional<AuditEvent> last(AuditAction action) {
    return jdbc.sql("select * from audit_events where action = ? order by seq desc limit 1")
        .param(action.id()).query(StoredEvent::read).optional().map(e -> e.toEvent(json));
  }

  /** Walks matching events up to {@code upToSeq} in seq order until {@code next} returns false. */
  void forEachStored(AuditFilter filter, long upToSeq, Predicate<StoredEvent> next) {
    Where where = Where.of(filter);
    String sql = "select * from audit_events" + where.sql() + (where.params().isEmpty() ? " where" : " and")
        + " seq > ? and seq <= ? order by seq limit " + BATCH;
    long after = 0;
    while (true) {
      List<Object> params = new ArrayList<>(where.params());
      params.add(after);
      params.add(upToSeq);
      List<StoredEvent> batch = jdbc.sql(sql).params(params).query(StoredEvent::read).list();
      for (StoredEvent event : batch) {
        if (!next.test(event)) {
          return;
        }
      }
      if (batch.size() < BATCH) {
        return;
      }
      after = batch.getLast().seq();
    }
  }

  private record Where(String sql, List<Object> params) {

    static Where of(AuditFilter filter) {
      List<String> conditions = new ArrayList<>();
      List<Object> params = new ArrayList<>();
      add(conditions, params, "actor = ?", filter.actor());
      add(conditions, params, "run_id = ?", filter.runId());
      add(conditions, params, "runbook = ?", filter.runbook());
      add(conditions, params, "action = ?", filter.action());
      add(conditions, params, "occurred_at >= ?", timestamp(filter.from()));
      add(conditions, params, "occurred_at < ?", timestamp(filter.to()));
      return new Where(conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions), params);
    }

    private static void add(List<String> conditions, List<Object> params, String condition, Object value) {
      if (value != null) {
        conditions.add(condition);
        params.add(value);
      }
    }

    private static OffsetDateTime timestamp(Instant instant) {
      return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
  }
}
