package dev.lifeboat.approval;

/** Published when nobody decided within the run's approvalTimeout; the run ends REJECTED. */
public record ApprovalExpired(String runId, String runbook, String taskName, String approvalTimeout) {}
