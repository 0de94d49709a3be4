package dev.lifeboat.approval;

/** Published when an approver approves or rejects; {@code comment} is theirs, verbatim. */
public record ApprovalDecided(String runId, String runbook, long taskId, String taskName, String actor,
    Decision decision, String comment) {}
