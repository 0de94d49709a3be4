package dev.lifeboat.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Scheduling (README, "Schedules"). {@code tick}: how often the due slots are looked at (a slot
 * starts at most about this late); {@code staleGrace}: a scheduled source is stale when its newest
 * backup is older than its schedule's interval plus this; {@code pruneCron}: when
 * {@code backup-prune} runs over every source (UTC; {@code -} for never); {@code enabled=false}
 * starts no scheduler on this instance (another instance on the database does the work).
 */
@Validated
@ConfigurationProperties("lifeboat.schedules")
public record SchedulesProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("PT5S") Duration tick,
    @DefaultValue("PT1H") Duration staleGrace,
    @DefaultValue("PT1M") Duration freshnessCheck,
    @DefaultValue("0 3 * * *") String pruneCron) {}
