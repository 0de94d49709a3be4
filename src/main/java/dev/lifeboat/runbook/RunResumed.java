package dev.lifeboat.runbook;

/** Published when a FAILED or INTERRUPTED run continues in a new engine instance from {@code fromStep}. */
public record RunResumed(String runId, String runbook, String actor, String fromStep) {}
