package dev.lifeboat.schedule;

import java.time.Instant;

/**
 * Published when a slot did not start a run: MISSED (Lifeboat was down; a later slot ran instead),
 * SKIPPED (the previous run of the schedule was still active) or FAILED (the run could not start).
 */
public record ScheduleSlotMissed(String schedule, String runbook, Instant slotAt, String status, String reason) {}
