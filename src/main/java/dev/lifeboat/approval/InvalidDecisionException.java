package dev.lifeboat.approval;

/** The decision cannot be taken as sent (e.g. a rejection without a comment); the message says what to change. */
public class InvalidDecisionException extends RuntimeException {

  public InvalidDecisionException(String message) {
    super(message);
  }
}
