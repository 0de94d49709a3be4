package dev.lifeboat.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * Published once when a scheduled source has had no new backup for longer than its schedule's
 * interval plus the grace, and not again until it has been fresh in between.
 */
public record BackupStale(String kind, String source, String schedule, Instant lastSuccess, Duration expectedInterval) {}
