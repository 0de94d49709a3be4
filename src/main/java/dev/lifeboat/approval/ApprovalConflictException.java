package dev.lifeboat.approval;

/** The task can no longer be decided: someone else decided it, it expired, or its run ended. */
public class ApprovalConflictException extends RuntimeException {

  public ApprovalConflictException(String message) {
    super(message);
  }
}
