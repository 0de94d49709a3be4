package dev.lifeboat.runbook;

/**
 * Published when a step of a run starts (again, on a retry or after a resume). {@code runbook} is
 * the run's runbook, {@code process} the model the step belongs to (a called one, inside a call).
 */
public record StepStarted(String runId, String runbook, String process, String elementId, String name) {}
