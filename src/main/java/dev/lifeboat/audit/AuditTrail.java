package dev.lifeboat.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events to the audit trail. There is no method to change or remove one. Each append locks
 * the chain head row, so appends from any number of threads or Lifeboat instances on one database
 * form a single chain; inside a caller's transaction the event commits or rolls back with it.
 */
@Service
public class AuditTrail {

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final Clock clock;
  private final TransactionTemplate transaction;
  private final AuditQuery query;

  AuditTrail(JdbcClient jdbc, ObjectMapper json, Clock clock, PlatformTransactionManager transactions,
      AuditQuery query) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.transaction = new TransactionTemplate(transactions);
    this.query = query;
  }

  public AuditEvent append(AuditEntry entry) {
    return transaction.execute(status -> appendLocked(lockHead(), entry));
  }

  /**
   * Looks at the latest event of {@code action} and appends what {@code decide} makes of it, if
   * anything, with no other append in between (so two instances starting at once decide once).
   */
  public Optional<AuditEvent> appendAfterLast(AuditAction action, Function<Optional<AuditEvent>, Optional<AuditEntry>> decide) {
    return transaction.execute(status -> {
      Head head = lockHead();
      return decide.apply(query.last(action)).map(entry -> appendLocked(head, entry));
    });
  }

  private record Head(long seq, String hash) {}

  private Head lockHead() {
    return jdbc.sql("select seq, hash from audit_chain_head where id = 1 for update")
        .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
        .single();
  }

  private AuditEvent appendLocked(Head head, AuditEntry entry) {
    long seq = head.seq() + 1;
    // Both databases keep microseconds; hash exactly what is stored.
    Instant time = clock.instant().truncatedTo(ChronoUnit.MICROS);
    StoredEvent event = new StoredEvent(seq, time,
        AuditDetails.field(entry.actor() == null || entry.actor().isBlank() ? "(unknown)" : entry.actor(), 200),
        entry.action().id(),
        AuditDetails.field(entry.runId(), 36),
        AuditDetails.field(entry.step(), 200),
        AuditDetails.field(entry.runbook(), 100),
        write(entry),
        head.hash(),
        null);
    String hash = event.computedHash();
    jdbc.sql("""
            insert into audit_events (seq, occurred_at, actor, action, run_id, step, runbook, details, prev_hash, hash)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(seq, OffsetDateTime.ofInstant(time, ZoneOffset.UTC), event.actor(), event.action(), event.runId(),
            event.step(), event.runbook(), event.details(), event.prevHash(), hash)
        .update();
    jdbc.sql("update audit_chain_head set seq = ?, hash = ? where id = 1").params(seq, hash).update();
    return new StoredEvent(seq, time, event.actor(), event.action(), event.runId(), event.step(), event.runbook(),
        event.details(), event.prevHash(), hash).toEvent(json);
  }

  private String write(AuditEntry entry) {
    try {
      return json.writeValueAsString(AuditDetails.masked(entry.details()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details of " + entry.action().id() + " are not JSON: " + e.getMessage(), e);
    }
  }
}
