package dev.lifeboat.approval;

import java.util.Map;

/** Published when a run reaches an approval step and waits for a second person. */
public record ApprovalRequested(String runId, String runbook, long taskId, String taskName,
    Map<String, Object> evidence) {}
