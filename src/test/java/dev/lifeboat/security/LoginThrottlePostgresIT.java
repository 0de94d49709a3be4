package dev.lifeboat.security;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR_2;
import static dev.lifeboat.testsupport.LifeboatApp.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.PostgresProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login throttling with two Lifeboat instances on one real PostgreSQL: failures through either
 * count together, a lock holds on both, and guesses sent in parallel to both are counted once
 * each and lock once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginThrottlePostgresIT {

  private static final int PARALLEL = 12;

  PostgresProcess postgres;
  LifeboatApp first;
  LifeboatApp second;

  @BeforeAll
  void start(@TempDir Path temp) {
    postgres = PostgresProcess.start();
    Map<String, String> shared = Map.of(
        "spring.datasource.url", postgres.jdbcUrl(),
        "spring.datasource.username", postgres.username(),
        "spring.datasource.password", postgres.password(),
        "lifeboat.security.login-throttle.initial-delay", "PT3S",
        "lifeboat.security.login-throttle.max-delay", "PT6S");
    first = LifeboatApp.start(temp.resolve("first"), shared);
    second = LifeboatApp.start(temp.resolve("second"), shared);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {second, first, postgres}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void failuresThroughEitherInstanceCountTogetherAndTheLockHoldsOnBoth() {
    HttpClient client = client("127.0.0.21");
    for (int i = 1; i <= 5; i++) {
      LifeboatApp instance = i % 2 == 0 ? second : first;
      assertThat(basic(client, instance, OPERATOR_2, "pg-wrong-" + i).status()).as("attempt " + i).isEqualTo(401);
    }
    LifeboatApp.Response onFirst = basic(client, first, OPERATOR_2, password(OPERATOR_2));
    LifeboatApp.Response onSecond = basic(client, second, OPERATOR_2, password(OPERATOR_2));
    assertThat(onFirst.status()).isEqualTo(429);
    assertThat(onSecond.status()).isEqualTo(429);
    LifeboatApp.sleep(retryAfter(onSecond) * 1000 + 200);
    assertThat(basic(client, second, OPERATOR_2, password(OPERATOR_2)).status()).isEqualTo(200);
    assertThat(postgres.psql("select count(*) from login_throttle where subject in ('oscar', '127.0.0.21')"))
        .as("a success clears the counts").isEqualTo("0");
    assertThat(events(OPERATOR_2, "login.locked")).hasSize(2);
  }

  @Test
  void parallelGuessesAtBothInstancesAreCountedOnceEachAndLockOnce() throws Exception {
    HttpClient client = client("127.0.0.22");
    List<Integer> burst = burst(client, "pg-burst-a-");
    long checked = burst.stream().filter(s -> s == 401).count();
    long refused = burst.stream().filter(s -> s == 429).count();
    assertThat(checked + refused).as(burst.toString()).isEqualTo(PARALLEL);
    assertThat(checked).isGreaterThanOrEqualTo(5);
    assertThat(events(OPERATOR, "login.failed")).hasSize((int) checked);
    assertThat(events(OPERATOR, "login.throttled")).hasSize((int) refused);
    assertThat(postgres.psql("select failures, lockouts from login_throttle where lock_kind = 'user' and subject = 'olivia'"))
        .isEqualTo(checked + "|1");
    assertThat(locks(OPERATOR)).containsExactlyInAnyOrder("user", "address");

    // After the lock, one attempt of a parallel burst is checked (and locks again); the rest are refused.
    long until = Long.parseLong(postgres.psql(
        "select (extract(epoch from locked_until) * 1000)::bigint from login_throttle where lock_kind = 'user' and subject = 'olivia'"));
    LifeboatApp.sleep(Math.max(0, until - System.currentTimeMillis()) + 200);
    List<Integer> after = burst(client, "pg-burst-b-");
    assertThat(after.stream().filter(s -> s == 401).count()).as(after.toString()).isEqualTo(1);
    assertThat(after.stream().filter(s -> s == 429).count()).isEqualTo(PARALLEL - 1);
    assertThat(events(OPERATOR, "login.unlocked").stream()
        .filter(e -> e.get("details").get("lock").asText().equals("user"))).hasSize(1);
    assertThat(locks(OPERATOR)).containsExactlyInAnyOrder("user", "address", "user", "address");
    assertThat(events(OPERATOR, "login.failed")).hasSize((int) checked + 1);
  }

  /** {@link #PARALLEL} wrong passwords at once, half to each instance; their statuses. */
  private List<Integer> burst(HttpClient client, String prefix) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(PARALLEL);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> attempts = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        LifeboatApp instance = i % 2 == 0 ? first : second;
        String guess = prefix + i;
        attempts.add(threads.submit(() -> {
          go.await();
          return basic(client, instance, OPERATOR, guess).status();
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> attempt : attempts) {
        statuses.add(attempt.get());
      }
      return statuses;
    } finally {
      threads.shutdown();
    }
  }

  private List<String> locks(String actor) {
    return events(actor, "login.locked").stream().map(e -> e.get("details").get("lock").asText()).toList();
  }

  private List<JsonNode> events(String actor, String action) {
    LifeboatApp.Response page = first.get(AUDITOR, "/api/audit?size=500&actor=" + actor + "&action=" + action);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    page.json().get("events").forEach(events::add);
    return events;
  }

  private static long retryAfter(LifeboatApp.Response response) {
    return Long.parseLong(response.headers().get("retry-after").getFirst());
  }

  private static HttpClient client(String address) {
    try {
      return HttpClient.newBuilder().localAddress(InetAddress.getByName(address))
          .connectTimeout(Duration.ofSeconds(5)).build();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LifeboatApp.Response basic(HttpClient client, LifeboatApp instance, String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/runs"))
        .header("Authorization", "Basic " + token).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new LifeboatApp.Response(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
