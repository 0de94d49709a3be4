package dev.lifeboat.audit;

/**
 * The result of recomputing the chain. Valid: {@code events} were checked and all hold. Not valid:
 * {@code events} were intact before the first broken link, event {@code brokenAt}, and
 * {@code reason} says what is wrong with it.
 */
public record AuditVerification(boolean valid, long events, Long brokenAt, String reason) {

  static AuditVerification valid(long events) {
    return new AuditVerification(true, events, null, null);
  }

  static AuditVerification broken(long events, long brokenAt, String reason) {
    return new AuditVerification(false, events, brokenAt, reason);
  }
}
