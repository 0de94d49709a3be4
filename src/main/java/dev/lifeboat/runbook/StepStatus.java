package dev.lifeboat.runbook;

public enum StepStatus {
  PENDING,
  RUNNING,
  WAITING,
  COMPLETED,
  FAILED
}
