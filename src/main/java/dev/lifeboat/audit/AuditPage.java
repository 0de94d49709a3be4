package dev.lifeboat.audit;

import java.util.List;

/** One page of matching events, newest first; {@code page} counts from 0, {@code total} matches in all. */
public record AuditPage(List<AuditEvent> events, int page, int size, long total) {}
