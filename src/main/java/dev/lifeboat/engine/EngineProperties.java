package dev.lifeboat.engine;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which Zeebe engine Lifeboat talks to. {@code embedded} runs one inside this JVM (evaluation and
 * tests: it forgets everything on restart); {@code remote} connects to a Camunda 8 cluster.
 */
@Validated
@ConfigurationProperties("lifeboat.engine")
public record EngineProperties(
    @NotNull @DefaultValue("embedded") Mode mode,
    @DefaultValue Embedded embedded,
    @DefaultValue Remote remote) {

  public enum Mode {
    EMBEDDED,
    REMOTE
  }

  /** The embedded engine's gRPC gateway; it listens on the loopback interface only. */
  public record Embedded(@Min(0) @Max(65535) @DefaultValue("26500") int port) {}

  /**
   * A Camunda 8 cluster (Self-Managed or SaaS). The client secret is read from a file so that it
   * never sits in configuration dumps or the environment of child processes.
   */
  public record Remote(
      String grpcAddress,
      String restAddress,
      String clientId,
      Path clientSecretFile,
      String tokenUrl,
      String audience,
      String scope) {}
}
