package dev.lifeboat.audit;

import java.util.Map;

/**
 * An event to append: who did what, to which run, step and runbook (each may be null), and details.
 * Details are stored as JSON; values under keys that look like secrets are masked on the way in.
 */
public record AuditEntry(AuditAction action, String actor, String runId, String step, String runbook,
    Map<String, ?> details) {

  public static AuditEntry of(AuditAction action, String actor, Map<String, ?> details) {
    return new AuditEntry(action, actor, null, null, null, details);
  }
}
