package dev.lifeboat.etcd;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Lifeboat talks to etcd. {@code compressionLevel} is the gzip level of snapshot archives
 * (1 fastest … 9 smallest; 6 is what {@code tar czf} uses).
 */
@Validated
@ConfigurationProperties("lifeboat.etcd")
public record EtcdProperties(
    @DefaultValue("PT5S") Duration connectTimeout,
    @DefaultValue("PT15S") Duration requestTimeout,
    @Min(1) @Max(9) @DefaultValue("6") int compressionLevel) {}
