package dev.lifeboat.schedule;

import dev.lifeboat.retention.PolicyLookup;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Retention finds a schedule's policy and zone here. */
@Component
class SchedulePolicies implements PolicyLookup {

  private final ScheduleRepository repository;

  SchedulePolicies(ScheduleRepository repository) {
    this.repository = repository;
  }

  @Override
  public Optional<SchedulePolicy> policyOf(String scheduleName) {
    return repository.findByName(scheduleName)
        .map(row -> new SchedulePolicy(row.name(), row.retention(), CronSlots.zone(row.timeZone())));
  }
}
