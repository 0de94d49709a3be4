package dev.lifeboat.runbook;

/** Published when a person cancels an active run (followed by {@link RunFinished} with CANCELED). */
public record RunCanceled(String runId, String runbook, String actor) {}
