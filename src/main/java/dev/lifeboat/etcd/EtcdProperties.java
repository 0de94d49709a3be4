package dev.lifeboat.etcd;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** How Lifeboat talks to etcd (the archives' compression is {@code lifeboat.archive.*}). */
@Validated
@ConfigurationProperties("lifeboat.etcd")
public record EtcdProperties(
    @DefaultValue("PT5S") Duration connectTimeout,
    @DefaultValue("PT15S") Duration requestTimeout) {}
