package dev.lifeboat.retention;

import java.time.ZoneId;
import java.util.Optional;

/** The retention policy and calendar zone of a schedule by name (the schedules capability provides it). */
public interface PolicyLookup {

  record SchedulePolicy(String schedule, RetentionPolicy policy, ZoneId zone) {}

  Optional<SchedulePolicy> policyOf(String scheduleName);
}
