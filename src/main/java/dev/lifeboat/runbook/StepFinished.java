package dev.lifeboat.runbook;

/**
 * Published when a step of a run completes or fails for good; {@code message} says what it did or
 * why it failed. {@code runbook} is the run's runbook, {@code process} the model the step belongs to.
 */
public record StepFinished(String runId, String runbook, String process, String elementId, String name,
    StepStatus status, String message) {}
