package dev.lifeboat.audit;

import java.time.Instant;

/**
 * Which events to show; every field is optional (null = any). {@code actor}, {@code runId},
 * {@code runbook} and {@code action} match exactly; {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditFilter(String actor, String runId, String runbook, String action, Instant from, Instant to) {

  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);

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

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
