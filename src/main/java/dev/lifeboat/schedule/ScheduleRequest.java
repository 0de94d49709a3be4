package dev.lifeboat.schedule;

import dev.lifeboat.retention.RetentionPolicy;
import java.util.Map;

/** What an operator sends to create or change a schedule; {@code timeZone} defaults to UTC. */
public record ScheduleRequest(
    String name,
    String runbook,
    Map<String, Object> parameters,
    String cron,
    String timeZone,
    RetentionPolicy retention,
    Boolean verifyAfterBackup,
    Boolean paused) {}
