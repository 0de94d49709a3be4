package dev.lifeboat.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which events to show; every field is optional (null = any). {@code actor}, {@code runId},
 * {@code runbook} and {@code action} match exactly; {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditFilter(String actor, String runId, String runbook, String action, Instant from, Instant to) {

  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);

  /**
   * A filter from text as a form or query string carries it: blank means any; {@code from} and
   * {@code to} are ISO-8601 instants ({@code 2026-11-21T14:30:00Z}, or with an offset).
   */
  public static AuditFilter of(String actor, String runId, String runbook, String action, String from, String to) {
    return new AuditFilter(actor, runId, runbook, action, instant("from", from), instant("to", to));
  }

  public AuditFilter {
    actor = blankToNull(actor);
    runId = blankToNull(runId);
    runbook = blankToNull(runbook);
    action = blankToNull(action);
    if (action != null && AuditAction.fromId(action).isEmpty()) {
      throw new InvalidAuditQueryException("unknown action '" + action + "'; actions are: "
          + String.join(", ", AuditAction.ids()));
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidAuditQueryException("'from' (" + from + ") must be before 'to' (" + to + ")");
    }
  }

  private static Instant instant(String name, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidAuditQueryException("'" + name + "' must be an ISO-8601 instant such as "
          + "2026-11-21T14:30:00Z (UTC, or with an offset like +01:00); got '" + text + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
