package dev.lifeboat.approval;

/** The caller may not decide this task (four-eyes); the message says why. */
public class ApprovalForbiddenException extends RuntimeException {

  public ApprovalForbiddenException(String message) {
    super(message);
  }
}
