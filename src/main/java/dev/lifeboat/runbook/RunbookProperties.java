package dev.lifeboat.runbook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** How steps are retried: the first retry waits {@code retryBackoff}, each next one twice as long. */
@Validated
@ConfigurationProperties("lifeboat.runs")
public record RunbookProperties(@DefaultValue("PT5S") Duration retryBackoff) {}
