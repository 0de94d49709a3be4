package dev.lifeboat.audit;

/** A filter, page or format the audit trail cannot answer; the message says what to send instead. */
public class InvalidAuditQueryException extends RuntimeException {
  public InvalidAuditQueryException(String message) {
    super(message);
  }
}
