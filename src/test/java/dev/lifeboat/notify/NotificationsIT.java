package dev.lifeboat.notify;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications received by a real HTTP server and a real SMTP server (GreenMail) in the test: when
 * an approval is requested and when a run fails. The webhook answers 500 twice first: the message
 * still arrives, retried, and the run is never held up. A webhook that never answers well ends on
 * the admin page, without its path (where tokens live).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsIT {

  static final ObjectMapper JSON = new ObjectMapper();

  HttpServer http;
  GreenMail smtp;
  LifeboatApp lifeboat;
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger refusals = new AtomicInteger(2);

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/hooks/secret-token-123", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (refusals.getAndDecrement() > 0) {
        exchange.sendResponseHeaders(500, -1);
      } else {
        received.add(JSON.readTree(body));
        exchange.sendResponseHeaders(204, -1);
      }
      exchange.close();
    });
    http.start();
    int smtpPort = FreePorts.next();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Map<String, String> properties = new HashMap<>();
    properties.put("lifeboat.notifications.base-url", "https://lifeboat.example.org");
    properties.put("lifeboat.notifications.initial-backoff", "PT0.2S");
    properties.put("lifeboat.notifications.retries", "3");
    properties.put("lifeboat.notifications.webhooks[0].url",
        "http://127.0.0.1:" + http.getAddress().getPort() + "/hooks/secret-token-123");
    properties.put("lifeboat.notifications.webhooks[0].events", "approval.requested,run.failed");
    properties.put("lifeboat.notifications.webhooks[1].url", "http://127.0.0.1:" + FreePorts.next() + "/hooks/gone-token");
    properties.put("lifeboat.notifications.webhooks[1].events", "run.failed");
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", Integer.toString(smtpPort));
    // olivia (operator) and alice (approver) have addresses; the rest do not.
    properties.put("lifeboat.security.users[0].email", "olivia@example.org");
    properties.put("lifeboat.security.users[2].email", "alice@example.org");
    lifeboat = LifeboatApp.start(temp, properties);
  }

  @AfterAll
  void stop() {
    Servers.closeAll(lifeboat, () -> smtp.stop(), () -> http.stop(0));
  }

  @Test
  void anApprovalRequestReachesTheWebhookAndTheApproversMailbox() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "fake-restore", Map.of("reason", "notify"));
    lifeboat.awaitRun(runId, Duration.ofMinutes(1), "WAITING_FOR_APPROVAL");
    JsonNode hook = await(() -> find("approval.requested", runId));
    assertThat(hook.get("text").asText()).contains("Approval needed").contains(runId).contains("fake-restore");
    assertThat(hook.get("runbook").asText()).isEqualTo("fake-restore");
    assertThat(hook.at("/links/run").asText()).isEqualTo("https://lifeboat.example.org/runs/" + runId);
    assertThat(hook.toString()).doesNotContain("notify").as("no parameters, no evidence");
    MimeMessage mail = awaitMail("approval.requested", runId);
    assertThat(Arrays.stream(mail.getAllRecipients()).map(Object::toString)).containsExactly("alice@example.org");
    assertThat(mail.getContent().toString()).contains("https://lifeboat.example.org/tasks");
    lifeboat.post(OPERATOR, "/api/runs/" + runId + "/cancel", Map.of());
  }

  @Test
  void aFailedRunReachesTheWebhookAndTheOperatorsMailboxAndAnUndeliveredOneTheAdminPage() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:9"));
    lifeboat.awaitRun(runId, Duration.ofMinutes(2), "FAILED");
    JsonNode hook = await(() -> find("run.failed", runId));
    assertThat(hook.get("text").asText()).startsWith("Run failed: etcd-snapshot run " + runId)
        .contains("Check the cluster failed");
    MimeMessage mail = awaitMail("run.failed", runId);
    assertThat(Arrays.stream(mail.getAllRecipients()).map(Object::toString)).containsExactly("olivia@example.org");
    // The second webhook listens nowhere: 1 + 3 attempts, then the admin page lists it, without its path.
    String page = await(() -> {
      LifeboatApp.Response admin = lifeboat.get(ADMIN, "/api/notifications/failures");
      return admin.body().contains(runId) ? admin.body() : null;
    });
    assertThat(page).contains("run.failed").contains("\"attempts\":4").doesNotContain("gone-token");
    // ... and so does the administrators' page.
    String html = dev.lifeboat.testsupport.WebSession.loggedIn(lifeboat, ADMIN).get("/notifications").body();
    assertThat(html).contains("Undelivered notifications").contains(runId.substring(0, 8)).contains("run.failed")
        .doesNotContain("gone-token");
  }

  private JsonNode find(String event, String runId) {
    return received.stream().filter(n -> n.get("event").asText().equals(event) && runId.equals(n.path("runId").asText()))
        .findFirst().orElse(null);
  }

  private MimeMessage awaitMail(String event, String runId) {
    return await(() -> Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject().contains(event) && m.getSubject().contains(runId);
      } catch (Exception e) {
        return false;
      }
    }).findFirst().orElse(null));
  }

  private static <T> T await(java.util.function.Supplier<T> found) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      T value = found.get();
      if (value != null) {
        return value;
      }
      LifeboatApp.sleep(200);
    }
    throw new AssertionError("not within 30 s");
  }
}
