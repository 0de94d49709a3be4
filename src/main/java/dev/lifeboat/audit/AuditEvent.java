package dev.lifeboat.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the audit trail as stored: {@code seq} counts from 1 without gaps, {@code hash} is
 * {@link AuditHash} over every other field, and {@code prevHash} is the hash of event {@code seq - 1}.
 */
public record AuditEvent(
    long seq,
    Instant time,
    String actor,
    String action,
    String runId,
    String step,
    String runbook,
    Map<String, Object> details,
    String prevHash,
    String hash) {}
