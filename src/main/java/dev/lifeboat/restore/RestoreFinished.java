package dev.lifeboat.restore;

/** Published when a restore run's outcome is known; the audit trail records it. */
public record RestoreFinished(String runId, String runbook, String platform, RestoreOutcome outcome, String detail) {}
