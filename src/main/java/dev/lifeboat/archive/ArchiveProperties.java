package dev.lifeboat.archive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How archives are written.
 *
 * @param gzipLevel 1 fastest … 9 smallest; 6 is what {@code gzip} and {@code tar czf} use
 * @param gzipThreads threads compressing one archive; 0 means one per available processor
 */
@Validated
@ConfigurationProperties("lifeboat.archive")
public record ArchiveProperties(
    @Min(1) @Max(9) @DefaultValue("6") int gzipLevel,
    @Min(0) @DefaultValue("0") int gzipThreads) {}
