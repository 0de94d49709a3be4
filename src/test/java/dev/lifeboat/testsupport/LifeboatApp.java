package dev.lifeboat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.LifeboatApplication;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Lifeboat, started in this JVM the way an operator starts the jar: embedded engine on a
 * free loopback port, its own data directory, test users of every role. Talks to it over HTTP.
 */
public final class LifeboatApp implements AutoCloseable {

  public static final String OPERATOR = "olivia";
  public static final String OPERATOR_2 = "oscar";
  public static final String APPROVER = "alice";
  public static final String APPROVER_2 = "arthur";
  public static final String AUDITOR = "audrey";
  public static final String ADMIN = "adam";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConfigurableApplicationContext context;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LifeboatApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  public static LifeboatApp start(Path dataDir, Map<String, String> extra) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("lifeboat.data-dir", dataDir.toString());
    props.put("lifeboat.engine.embedded.port", "0");
    props.put("lifeboat.runs.retry-backoff", "PT1S");
    props.put("lifeboat.etcd.request-timeout", "PT5S");
    props.put("lifeboat.etcd.connect-timeout", "PT2S");
    String[][] users = {
      {OPERATOR, "OPERATOR"}, {OPERATOR_2, "OPERATOR"}, {APPROVER, "APPROVER"}, {APPROVER_2, "APPROVER"},
      {AUDITOR, "AUDITOR"}, {ADMIN, "ADMIN"}
    };
    for (int i = 0; i < users.length; i++) {
      props.put("lifeboat.security.users[" + i + "].username", users[i][0]);
      props.put("lifeboat.security.users[" + i + "].password", "{noop}" + password(users[i][0]));
      props.put("lifeboat.security.users[" + i + "].roles", users[i][1]);
    }
    props.putAll(extra);
    List<String> args = new ArrayList<>();
    props.forEach((k, v) -> args.add("--" + k + "=" + v));
    return new LifeboatApp(SpringApplication.run(LifeboatApplication.class, args.toArray(String[]::new)));
  }

  public static String password(String user) {
    return user + "-secret";
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Response get(String user, String path) {
    return send(user, HttpRequest.newBuilder(uri(path)).GET());
  }

  public Response post(String user, String path, Object body) {
    try {
      return send(user, HttpRequest.newBuilder(uri(path))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Response postBytes(String user, String path, byte[] body) {
    return send(user, HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Response delete(String user, String path) {
    return send(user, HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public byte[] download(String user, String path) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
      auth(user, request);
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        byte[] bytes = in.readAllBytes();
        if (response.statusCode() != 200) {
          throw new AssertionError("GET " + path + " -> " + response.statusCode() + ": " + new String(bytes, StandardCharsets.UTF_8));
        }
        return bytes;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a run and returns its id, failing the test with the problem detail if refused. */
  public String startRun(String user, String runbook, Map<String, ?> parameters) {
    Response response = post(user, "/api/runs", Map.of("runbook", runbook, "parameters", parameters));
    if (response.status() != 201) {
      throw new AssertionError("starting " + runbook + " -> " + response.status() + ": " + response.body());
    }
    return response.json().get("id").asText();
  }

  /** Polls the run until it reaches one of the statuses, or fails after the timeout. */
  public JsonNode awaitRun(String runId, Duration timeout, String... statuses) {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode run = null;
    while (Instant.now().isBefore(deadline)) {
      run = get(ADMIN, "/api/runs/" + runId).json();
      String status = run.get("status").asText();
      for (String wanted : statuses) {
        if (wanted.equals(status)) {
          return run;
        }
      }
      sleep(200);
    }
    throw new AssertionError("run " + runId + " did not reach " + String.join("/", statuses) + " within "
        + timeout + "; last seen: " + run);
  }

  /**
   * Polls the open approval tasks until one of the run's is there (the run then WAITING_FOR_APPROVAL);
   * fails when the run ends first or after the timeout.
   */
  public JsonNode awaitTask(String runId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode task : get(APPROVER, "/api/tasks").json()) {
        if (runId.equals(task.get("runId").asText())) {
          String status = get(ADMIN, "/api/runs/" + runId).json().get("status").asText();
          if (!"WAITING_FOR_APPROVAL".equals(status)) {
            throw new AssertionError("run " + runId + " has an open task but is " + status);
          }
          return task;
        }
      }
      JsonNode run = get(ADMIN, "/api/runs/" + runId).json();
      if (!List.of("RUNNING", "WAITING_FOR_APPROVAL").contains(run.get("status").asText())) {
        throw new AssertionError("run ended before its approval: " + run);
      }
      sleep(200);
    }
    throw new AssertionError("no approval task for run " + runId);
  }

  private Response send(String user, HttpRequest.Builder request) {
    auth(user, request);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code user} alone logs in with that user's password; {@code user:password} with that one. */
  private static void auth(String user, HttpRequest.Builder request) {
    if (user != null) {
      String credentials = user.contains(":") ? user : user + ":" + password(user);
      String token = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + token);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }

  public record Response(int status, String body, Map<String, List<String>> headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }
}
