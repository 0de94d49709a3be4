package dev.lifeboat.security;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER_2;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR_2;
import static dev.lifeboat.testsupport.LifeboatApp.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import dev.lifeboat.testsupport.WebSession;
import dev.lifeboat.testsupport.WebSession.Page;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Login throttling on a real Lifeboat, through HTTP Basic and the login form, with short delays
 * (2 s, doubling up to 5 s) and the default limit of 5 failures. Each test attacks from its own
 * loopback address (127.0.0.x: all of 127/8 is loopback) and user, so the auditor reading the trail
 * from 127.0.0.1 is never locked out and the tests do not disturb each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginThrottleIT {

  private static final Duration MAX_DELAY = Duration.ofSeconds(5);

  LifeboatApp lifeboat;
  final List<String> triedPasswords = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path temp) {
    lifeboat = LifeboatApp.start(temp, Map.of(
        "lifeboat.security.login-throttle.initial-delay", "PT2S",
        "lifeboat.security.login-throttle.max-delay", "PT5S"));
  }

  @AfterAll
  void stop() {
    if (lifeboat != null) {
      String everything = lifeboat.get(AUDITOR, "/api/audit/export?format=json").body();
      lifeboat.close();
      assertThat(triedPasswords).isNotEmpty();
      for (String tried : triedPasswords) {
        assertThat(everything).as("the audit trail holds no tried password").doesNotContain(tried);
      }
    }
  }

  @Test
  void httpBasicSixWrongPasswordsThenTheRightOneIs429UntilTheDelayHasPassed() {
    Client client = new Client("127.0.0.11");
    for (int i = 1; i <= 5; i++) {
      assertThat(client.basic(OPERATOR, wrong("basic-" + i)).status()).as("wrong password " + i).isEqualTo(401);
    }
    Response sixth = client.basic(OPERATOR, wrong("basic-6"));
    assertThrottled(sixth, Duration.ofSeconds(2));
    JsonNode problem = sixth.json();
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("title").asText()).isEqualTo("Too Many Requests");
    assertThat(problem.get("detail").asText()).contains("too many failed logins", "try again in");
    assertThat(problem.get("retryAfter").asLong()).isEqualTo(retryAfter(sixth));
    assertThat(problem.get("retryAt").asText()).isNotBlank();
    assertThat(sixth.headers().get("content-type").getFirst()).startsWith("application/problem+json");

    Response right = client.basic(OPERATOR, password(OPERATOR));
    assertThrottled(right, Duration.ofSeconds(2));
    // The user name is locked for everybody, not only for the address that guessed.
    assertThrottled(new Client("127.0.0.12").basic(OPERATOR, password(OPERATOR)), Duration.ofSeconds(2));

    LifeboatApp.sleep(retryAfter(right) * 1000 + 200);
    assertThat(client.basic(OPERATOR, password(OPERATOR)).status()).isEqualTo(200);

    List<JsonNode> failed = events(OPERATOR, "login.failed");
    assertThat(failed).hasSize(5); // the refused attempts were never checked, so never failed
    assertThat(failed).allSatisfy(e -> assertThat(e.get("details").get("remoteAddress").asText()).isEqualTo("127.0.0.11"));
    List<JsonNode> locked = events(OPERATOR, "login.locked");
    assertThat(locked).extracting(e -> e.get("details").get("lock").asText()).containsExactlyInAnyOrder("user", "address");
    assertThat(locked).allSatisfy(e -> {
      assertThat(e.get("details").get("failures").asInt()).isEqualTo(5);
      assertThat(e.get("details").get("lockout").asInt()).isEqualTo(1);
      assertThat(e.get("details").get("delaySeconds").asInt()).isEqualTo(2);
    });
    List<JsonNode> throttled = events(OPERATOR, "login.throttled");
    assertThat(throttled).hasSize(3);
    assertThat(throttled).extracting(e -> e.get("details").get("remoteAddress").asText())
        .containsExactly("127.0.0.12", "127.0.0.11", "127.0.0.11"); // newest first
    assertThat(events(OPERATOR, "login.unlocked")).extracting(e -> e.get("details").get("lock").asText())
        .contains("user");
  }

  @Test
  void aSuccessResetsTheCountForTheUserAndTheAddress() {
    Client client = new Client("127.0.0.13");
    for (int round = 1; round <= 3; round++) {
      for (int i = 1; i <= 4; i++) {
        assertThat(client.basic(OPERATOR_2, wrong("reset-" + round + "-" + i)).status()).isEqualTo(401);
      }
      assertThat(client.basic(OPERATOR_2, password(OPERATOR_2)).status()).as("round " + round).isEqualTo(200);
    }
    assertThat(events(OPERATOR_2, "login.failed")).hasSize(12);
    assertThat(events(OPERATOR_2, "login.locked")).isEmpty();
    assertThat(events(OPERATOR_2, "login.throttled")).isEmpty();
  }

  @Test
  void anAddressThatGuessesAtManyUserNamesIsLockedForAllOfThem() {
    Client client = new Client("127.0.0.14");
    for (int i = 1; i <= 5; i++) {
      assertThat(client.basic("nobody-" + i, wrong("spray-" + i)).status()).isEqualTo(401);
    }
    // Even a real user with the right password, from that address; from elsewhere they get in.
    assertThrottled(client.basic(ADMIN, password(ADMIN)), Duration.ofSeconds(2));
    assertThat(lifeboat.get(ADMIN, "/api/runs").status()).isEqualTo(200);

    List<JsonNode> locked = events("nobody-5", "login.locked");
    assertThat(locked).hasSize(1);
    assertThat(locked.getFirst().get("details").get("lock").asText()).isEqualTo("address");
    assertThat(locked.getFirst().get("details").get("address").asText()).isEqualTo("127.0.0.14");
    JsonNode refused = events(ADMIN, "login.throttled").getFirst();
    assertThat(refused.get("details").get("locks").toString()).isEqualTo("[\"address\"]");
  }

  @Test
  void lockoutsDoubleUpToTheCapAndHammeringNeverExtendsOne() {
    Client attacker = new Client("127.0.0.15");
    for (int i = 1; i <= 5; i++) {
      assertThat(attacker.basic(APPROVER_2, wrong("cap-" + i)).status()).isEqualTo(401);
    }
    Response refused = attacker.basic(APPROVER_2, wrong("cap-6"));
    List<Long> retryAfters = new ArrayList<>(List.of(retryAfter(refused)));
    for (int lockout = 2; lockout <= 4; lockout++) {
      LifeboatApp.sleep(retryAfter(refused) * 1000 + 200);
      // After a lock, one attempt is checked; it fails and locks again, for longer.
      assertThat(attacker.basic(APPROVER_2, wrong("cap-after-" + lockout)).status()).isEqualTo(401);
      refused = attacker.basic(APPROVER_2, wrong("cap-locked-" + lockout));
      assertThrottled(refused, MAX_DELAY);
      long first = retryAfter(refused);
      retryAfters.add(first);
      for (int i = 0; i < 5; i++) {
        Response again = attacker.basic(APPROVER_2, wrong("cap-hammer-" + lockout + "-" + i));
        assertThrottled(again, MAX_DELAY);
        assertThat(retryAfter(again)).as("hammering does not extend the lock").isLessThanOrEqualTo(first);
      }
    }
    assertThat(retryAfters.get(0)).isBetween(1L, 2L);
    assertThat(retryAfters.get(1)).isBetween(3L, 4L);
    assertThat(retryAfters.get(2)).isBetween(4L, 5L); // 8 s, capped at 5 s
    assertThat(retryAfters.get(3)).isBetween(4L, 5L);

    // The user gets in, from their own address, once the last lock has run its course.
    LifeboatApp.sleep(retryAfter(refused) * 1000 + 200);
    assertThat(lifeboat.get(APPROVER_2, "/api/runs").status()).isEqualTo(200);

    List<JsonNode> locks = events(APPROVER_2, "login.locked").stream()
        .filter(e -> e.get("details").get("lock").asText().equals("user")).toList().reversed();
    assertThat(locks).extracting(e -> e.get("details").get("delaySeconds").asInt()).containsExactly(2, 4, 5, 5);
    assertThat(locks).extracting(e -> e.get("details").get("lockout").asInt()).containsExactly(1, 2, 3, 4);
    assertThat(events(APPROVER_2, "login.failed")).hasSize(5 + 3);
    assertThat(events(APPROVER_2, "login.throttled")).hasSize(1 + 3 * 6);
  }

  @Test
  void theLoginFormIsThrottledTheSameWay() throws UnknownHostException {
    WebSession browser = new WebSession(lifeboat.baseUrl(), InetAddress.getByName("127.0.0.16"));
    for (int i = 1; i <= 5; i++) {
      Page refused = browser.login(APPROVER, wrong("form-" + i));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(302);
      assertThat(refused.location()).endsWith("/login?error");
    }
    Page sixth = browser.login(APPROVER, wrong("form-6"));
    assertThat(sixth.status()).as(sixth.toString()).isEqualTo(429);
    long retryAfter = Long.parseLong(sixth.headers().get("retry-after"));
    assertThat(retryAfter).isBetween(1L, 2L);
    assertThat(sixth.body()).contains("Too many failed logins", "Try again in", "name=\"_csrf\"", "name=\"password\"");
    assertThat(sixth.body()).doesNotContain("form-6");

    Page right = browser.login(APPROVER, password(APPROVER));
    assertThat(right.status()).as(right.toString()).isEqualTo(429);
    assertThat(right.body()).doesNotContain(password(APPROVER));
    assertThat(browser.get("/").location()).as("not logged in").endsWith("/login");

    LifeboatApp.sleep(Long.parseLong(right.headers().get("retry-after")) * 1000 + 200);
    Page in = browser.login(APPROVER, password(APPROVER));
    assertThat(in.status()).as(in.toString()).isEqualTo(302);
    assertThat(in.location()).doesNotContain("/login"); // the overview, where it was sent from (/?continue)
    assertThat(browser.get("/").status()).isEqualTo(200);

    assertThat(events(APPROVER, "login.failed")).hasSize(5);
    assertThat(events(APPROVER, "login.locked")).hasSize(2);
    assertThat(events(APPROVER, "login.throttled")).hasSize(2);
    assertThat(events(APPROVER, "login.succeeded")).hasSize(1);
    // The page is only reached through a refused login.
    assertThat(new WebSession(lifeboat.baseUrl()).get("/login/throttled").status()).isEqualTo(302);
  }

  @Test
  void theSweepRecordsTheEndOfLocksNobodyTriedAgainAndOldCountsAreForgotten() {
    Client client = new Client("127.0.0.17");
    for (int i = 1; i <= 5; i++) {
      assertThat(client.basic("sweep-user", wrong("sweep-" + i)).status()).isEqualTo(401);
    }
    LifeboatApp.sleep(retryAfter(client.basic("sweep-user", wrong("sweep-6"))) * 1000 + 200);
    JdbcClient jdbc = lifeboat.context().getBean(JdbcClient.class);
    OffsetDateTime twoDaysAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2);
    jdbc.sql("insert into login_throttle (lock_kind, subject, failures, lockouts, last_failure_at) values ('user', 'old-user', 2, 0, ?)")
        .param(twoDaysAgo).update();

    lifeboat.context().getBean(LoginThrottle.class).sweep();

    List<JsonNode> unlocked = events("sweep-user", "login.unlocked");
    assertThat(unlocked).hasSize(1);
    assertThat(unlocked.getFirst().get("details").get("seenBy").asText()).isEqualTo("sweep");
    assertThat(events("lifeboat", "login.unlocked")).anySatisfy(e -> {
      assertThat(e.get("details").get("lock").asText()).isEqualTo("address");
      assertThat(e.get("details").get("address").asText()).isEqualTo("127.0.0.17");
    });
    assertThat(jdbc.sql("select count(*) from login_throttle where subject = 'old-user'").query(Long.class).single())
        .as("counts older than reset-after are deleted").isZero();
    // The count itself stays: the next failure locks again, for twice as long.
    assertThat(client.basic("sweep-user", wrong("sweep-7")).status()).isEqualTo(401);
    Response locked = client.basic("sweep-user", wrong("sweep-8"));
    assertThrottled(locked, MAX_DELAY);
    assertThat(retryAfter(locked)).isBetween(3L, 4L);

    // Counts from two days ago are forgotten by the next attempt too: four old failures and one new do not lock.
    jdbc.sql("insert into login_throttle (lock_kind, subject, failures, lockouts, last_failure_at) values ('user', 'forgotten-user', 4, 0, ?)")
        .param(twoDaysAgo).update();
    Client other = new Client("127.0.0.18");
    assertThat(other.basic("forgotten-user", wrong("forgotten-1")).status()).isEqualTo(401);
    assertThat(other.basic("forgotten-user", wrong("forgotten-2")).status()).isEqualTo(401);
    assertThat(jdbc.sql("select failures from login_throttle where lock_kind = 'user' and subject = 'forgotten-user'")
        .query(Integer.class).single()).isEqualTo(2);
  }

  private String wrong(String label) {
    String guess = "guess-" + label + "-x7";
    triedPasswords.add(guess);
    return guess;
  }

  private static void assertThrottled(Response response, Duration maxDelay) {
    assertThat(response.status()).as(response.toString()).isEqualTo(429);
    assertThat(retryAfter(response)).isBetween(1L, maxDelay.toSeconds());
    assertThat(response.body()).doesNotContain("guess-");
  }

  private static long retryAfter(Response response) {
    return Long.parseLong(response.headers().get("retry-after").getFirst());
  }

  /** The actor's events of one action, newest first. */
  private List<JsonNode> events(String actor, String action) {
    Response page = lifeboat.get(AUDITOR, "/api/audit?size=500&actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8)
        + "&action=" + action);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    page.json().get("events").forEach(events::add);
    return events;
  }

  /** An API client at its own loopback address. */
  private final class Client {
    private final HttpClient http;

    Client(String address) {
      try {
        http = HttpClient.newBuilder().localAddress(InetAddress.getByName(address))
            .connectTimeout(Duration.ofSeconds(5)).build();
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    Response basic(String user, String password) {
      String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      HttpRequest request = HttpRequest.newBuilder(URI.create(lifeboat.baseUrl() + "/api/runs"))
          .header("Authorization", "Basic " + token).GET().build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers().map());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
