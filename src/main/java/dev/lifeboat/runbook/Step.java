package dev.lifeboat.runbook;

import java.time.Instant;

/** One task of a run's process: BPMN element id, its name, and what happened to it. */
public record Step(
    String elementId,
    String name,
    StepStatus status,
    Instant startedAt,
    Instant finishedAt,
    String message,
    int attempts,
    Progress progress) {}
