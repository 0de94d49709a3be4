package dev.lifeboat.runbook;

/** Published once when a run reaches a final status, so capabilities can clean up after it. */
public record RunFinished(String runId, String runbook, RunStatus status, String message) {}
