package dev.lifeboat.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A row of audit_events exactly as stored, details as JSON text: what the hash covers. */
record StoredEvent(long seq, Instant time, String actor, String action, String runId, String step, String runbook,
    String details, String prevHash, String hash) {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  static StoredEvent read(ResultSet rs, int row) throws SQLException {
    return new StoredEvent(
        rs.getLong("seq"),
        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("run_id"),
        rs.getString("step"),
        rs.getString("runbook"),
        rs.getString("details"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }

  String computedHash() {
    return AuditHash.of(seq, time, actor, action, runId, step, runbook, details, prevHash);
  }

  AuditEvent toEvent(ObjectMapper json) {
    return new AuditEvent(seq, time, actor, action, runId, step, runbook, parsedDetails(json), prevHash, hash);
  }

  private Map<String, Object> parsedDetails(ObjectMapper json) {
    try {
      Map<String, Object> parsed = details == null ? null : json.readValue(details, MAP);
      return parsed == null ? Map.of() : parsed;
    } catch (JsonProcessingException e) {
      // Only a change made behind Lifeboat's back gets here; show it rather than fail the page.
      return Map.of("unreadable", details);
    }
  }
}
