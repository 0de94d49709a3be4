package dev.lifeboat.runbook;

public enum RunStatus {
  RUNNING,
  WAITING_FOR_APPROVAL,
  COMPLETED,
  FAILED,
  REJECTED,
  CANCELED,
  INTERRUPTED;

  public boolean isActive() {
    return this == RUNNING || this == WAITING_FOR_APPROVAL;
  }
}
