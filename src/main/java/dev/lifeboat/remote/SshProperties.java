package dev.lifeboat.remote;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Lifeboat reaches hosts. Host keys are always checked against {@code knownHostsFile}
 * (OpenSSH format); there is no setting that accepts an unknown key.
 *
 * @param outputCap bytes of stdout and of stderr kept per command (the rest is counted, not kept)
 * @param runConnectionIdle how long a run's kept connection to a host stays open unused (see
 *     {@link RemoteHosts#forRun}); it also closes when the run ends
 */
@Validated
@ConfigurationProperties("lifeboat.ssh")
public record SshProperties(
    Path knownHostsFile,
    @DefaultValue("PT10S") Duration connectTimeout,
    @DefaultValue("PT10M") Duration commandTimeout,
    @Min(1024) @DefaultValue("65536") int outputCap,
    @DefaultValue("PT2M") Duration runConnectionIdle) {}
