package dev.lifeboat.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Translates {@code lifeboat.engine.*} into the {@code camunda.client.*} settings of the Camunda
 * Spring starter, before any bean exists, so that operators configure one thing in one place.
 */
public class EngineEnvironment implements EnvironmentPostProcessor, Ordered {

  static final String SOURCE_NAME = "lifeboatEngine";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String mode = env.getProperty("lifeboat.engine.mode", "embedded").toLowerCase(Locale.ROOT);
    Map<String, Object> props = new HashMap<>();
    props.put("camunda.client.prefer-rest-over-grpc", "false");
    if (mode.equals("remote")) {
      remote(env, props);
    } else {
      int port = env.getProperty("lifeboat.engine.embedded.port", Integer.class, 26500);
      if (port == 0) {
        port = freeLoopbackPort();
        props.put("lifeboat.engine.embedded.port", port);
      }
      props.put("camunda.client.grpc-address", "http://127.0.0.1:" + port);
      // Never used (REST is off) but must not point at anything real.
      props.put("camunda.client.rest-address", "http://127.0.0.1:" + port);
      props.put("camunda.client.auth.method", "none");
    }
    env.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, props));
  }

  private static void remote(ConfigurableEnvironment env, Map<String, Object> props) {
    String grpc = env.getProperty("lifeboat.engine.remote.grpc-address");
    if (grpc == null || grpc.isBlank()) {
      throw new IllegalStateException(
          "lifeboat.engine.mode=remote needs lifeboat.engine.remote.grpc-address"
              + " (the gRPC address of the Camunda 8 gateway, e.g. https://zeebe.example.org:26500)");
    }
    props.put("camunda.client.grpc-address", grpc);
    props.put("camunda.client.rest-address", env.getProperty("lifeboat.engine.remote.rest-address", grpc));
    String clientId = env.getProperty("lifeboat.engine.remote.client-id");
    if (clientId == null || clientId.isBlank()) {
      props.put("camunda.client.auth.method", "none");
      return;
    }
    props.put("camunda.client.auth.method", "oidc");
    props.put("camunda.client.auth.client-id", clientId);
    String secretFile = env.getProperty("lifeboat.engine.remote.client-secret-file");
    if (secretFile == null) {
      throw new IllegalStateException(
          "lifeboat.engine.remote.client-id is set but lifeboat.engine.remote.client-secret-file is not:"
              + " point it at a file holding the OAuth client secret");
    }
    props.put("camunda.client.auth.client-secret", readSecret(Path.of(secretFile)));
    copy(env, props, "lifeboat.engine.remote.token-url", "camunda.client.auth.token-url");
    copy(env, props, "lifeboat.engine.remote.audience", "camunda.client.auth.audience");
    copy(env, props, "lifeboat.engine.remote.scope", "camunda.client.auth.scope");
  }

  private static void copy(ConfigurableEnvironment env, Map<String, Object> props, String from, String to) {
    String value = env.getProperty(from);
    if (value != null && !value.isBlank()) {
      props.put(to, value);
    }
  }

  private static String readSecret(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read lifeboat.engine.remote.client-secret-file " + file + ": " + e.getMessage(), e);
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the embedded engine", e);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
