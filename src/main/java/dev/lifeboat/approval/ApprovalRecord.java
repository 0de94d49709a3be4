package dev.lifeboat.approval;

import java.time.Instant;

/** One approval of a run as it ended: OPEN, APPROVED, REJECTED, EXPIRED or CLOSED (the run ended otherwise). */
public record ApprovalRecord(
    long taskId,
    String runId,
    String name,
    ApprovalStatus status,
    Instant created,
    Instant expires,
    String decidedBy,
    Instant decidedAt,
    String comment) {}
