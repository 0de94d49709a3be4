package dev.lifeboat.runbook;

import java.util.Map;

/**
 * Published when a run is recorded, just before the engine is asked to start it (a run the engine
 * refuses is then FAILED); parameters never hold secrets (only references).
 */
public record RunStarted(String runId, String runbook, String actor, Map<String, Object> parameters) {}
