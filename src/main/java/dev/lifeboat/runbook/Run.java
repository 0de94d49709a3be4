package dev.lifeboat.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run of a runbook as Lifeboat recorded it; the engine may have forgotten it, this has not. */
public record Run(
    String id,
    String runbook,
    RunStatus status,
    String initiator,
    Map<String, Object> parameters,
    Map<String, Object> outputs,
    String message,
    Long processInstanceKey,
    Instant createdAt,
    Instant finishedAt,
    List<Step> steps) {}
