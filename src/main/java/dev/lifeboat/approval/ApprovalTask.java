package dev.lifeboat.approval;

import java.time.Instant;

/**
 * An open approval as a person sees it: what the run will do (the {@code evidence}), who started
 * it, until when it can be decided, and whether the caller may decide it (and if not, why).
 */
public record ApprovalTask(
    long id,
    String runId,
    String runbook,
    String name,
    String initiator,
    Instant created,
    Instant expires,
    Evidence evidence,
    boolean decidable,
    String notDecidableReason) {}
