package dev.lifeboat.runbook;

/** Published when a step of a run starts (again, on a retry or after a resume). */
public record StepStarted(String runId, String runbook, String elementId, String name) {}
