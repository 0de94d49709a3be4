package dev.lifeboat.runbook;

import java.util.Map;

/** Published when a run has been started in the engine; parameters never hold secrets (only references). */
public record RunStarted(String runId, String runbook, String actor, Map<String, Object> parameters) {}
