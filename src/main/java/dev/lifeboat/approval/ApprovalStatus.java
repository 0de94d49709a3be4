package dev.lifeboat.approval;

public enum ApprovalStatus {
  OPEN,
  APPROVED,
  REJECTED,
  EXPIRED,
  /** The run ended (canceled, interrupted, failed) while the task was open. */
  CLOSED
}
