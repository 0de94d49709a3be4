package dev.lifeboat.schedule;

import java.util.Map;

/** Published when someone created, changed, paused, resumed or deleted a schedule ({@code change}). */
public record ScheduleChanged(String schedule, String change, String actor, Map<String, Object> details) {}
