package dev.lifeboat.runbook;

import java.time.Instant;

/**
 * One task of a run's process: BPMN element id, its name, and what happened to it.
 * {@code outputBytes} is how much command output it printed (null: none); the output itself is
 * read on its own ({@link RunService#stepOutput}).
 */
public record Step(
    String elementId,
    String name,
    StepStatus status,
    Instant startedAt,
    Instant finishedAt,
    String message,
    int attempts,
    Progress progress,
    Long outputBytes) {}
