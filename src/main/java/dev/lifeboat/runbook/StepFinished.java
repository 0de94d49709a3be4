package dev.lifeboat.runbook;

/** Published when a step of a run completes or fails for good; {@code message} says what it did or why it failed. */
public record StepFinished(String runId, String runbook, String elementId, String name, StepStatus status,
    String message) {}
