package dev.lifeboat.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.security.Role;
import dev.lifeboat.security.SecurityProperties;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends notifications on threads of its own: each webhook and the e-mail are tried, retried with a
 * doubling delay, and when every attempt failed the failure is logged and kept for the admin page
 * ({@code notification_failures}). Nothing here ever waits inside a run's step.
 */
@Component
public class Deliveries {

  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  private final NotificationProperties properties;
  private final SecurityProperties users;
  private final ObjectProvider<JavaMailSender> mail;
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final Clock clock;
  private final HttpClient http;
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "lifeboat-notifications");
    thread.setDaemon(true);
    return thread;
  });

  Deliveries(NotificationProperties properties, SecurityProperties users, ObjectProvider<JavaMailSender> mail,
      JdbcClient jdbc, ObjectMapper json, Clock clock) {
    this.properties = properties;
    this.users = users;
    this.mail = mail;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
  }

  /** A failure the admin page lists: which event, where it went (no path or query of a URL), why. */
  public record Failure(String id, String event, String channel, String target, int attempts, String error,
      String text, java.time.Instant failedAt) {}

  public List<Failure> failures(int limit) {
    return jdbc.sql("select * from notification_failures order by failed_at desc limit ?").param(limit)
        .query((rs, n) -> new Failure(rs.getString("id"), rs.getString("event"), rs.getString("channel"),
            rs.getString("target"), rs.getInt("attempts"), rs.getString("error"), rs.getString("text"),
            rs.getTimestamp("failed_at").toInstant()))
        .list();
  }

  void send(Notification notification) {
    for (NotificationProperties.Webhook webhook : properties.webhooks()) {
      if (webhook.events().contains(notification.event())) {
        attempt(new Channel("webhook", origin(webhook.url()), () -> post(webhook.url(), notification)), notification, 1);
      }
    }
    JavaMailSender sender = mail.getIfAvailable();
    if (sender != null && properties.email().enabled() && properties.email().events().contains(notification.event())) {
      List<String> to = recipients(notification.event());
      if (!to.isEmpty()) {
        attempt(new Channel("email", String.join(", ", to), () -> email(sender, to, notification)), notification, 1);
      }
    }
  }

  private record Channel(String kind, String target, Attempt attempt) {}

  @FunctionalInterface
  private interface Attempt {
    void run() throws Exception;
  }

  private void attempt(Channel channel, Notification notification, int number) {
    Duration delay = number == 1 ? Duration.ZERO
        : properties.initialBackoff().multipliedBy(1L << Math.min(10, number - 2));
    executor.schedule(() -> {
      try {
        channel.attempt().run();
        log.info("Notification {} sent by {} to {}", notification.event(), channel.kind(), channel.target());
      } catch (Exception e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (number <= properties.retries()) {
          log.info("Notification {} by {} to {} failed (attempt {}), retrying: {}", notification.event(),
              channel.kind(), channel.target(), number, error);
          attempt(channel, notification, number + 1);
        } else {
          log.warn("Notification {} by {} to {} not delivered after {} attempts: {}", notification.event(),
              channel.kind(), channel.target(), number, error);
          recordFailure(channel, notification, number, error);
        }
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void post(String url, Notification notification) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", notification.text());
    body.put("event", notification.event());
    body.put("runId", notification.runId());
    body.put("runbook", notification.runbook());
    body.put("kind", notification.kind());
    body.put("source", notification.source());
    body.put("schedule", notification.schedule());
    body.put("links", notification.links());
    body.put("at", notification.at().toString());
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(properties.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
  }

  private void email(JavaMailSender sender, List<String> to, Notification notification) {
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(properties.email().from());
    message.setTo(to.toArray(String[]::new));
    message.setSubject("[Lifeboat] " + notification.event() + subject(notification));
    StringBuilder text = new StringBuilder(notification.text()).append("\n\n");
    notification.links().forEach((name, link) -> text.append(name).append(": ").append(link).append('\n'));
    message.setText(text.toString());
    sender.send(message);
  }

  private static String subject(Notification n) {
    if (n.runbook() != null && n.runId() != null) {
      return ": " + n.runbook() + " run " + n.runId();
    }
    if (n.schedule() != null) {
      return ": schedule " + n.schedule();
    }
    return n.source() == null ? "" : ": " + n.kind() + " of " + n.source();
  }

  /** Approvals go to approvers and admins, everything else to operators and admins. */
  private List<String> recipients(String event) {
    Set<Role> roles = event.equals("approval.requested") ? Set.of(Role.APPROVER, Role.ADMIN)
        : Set.of(Role.OPERATOR, Role.ADMIN);
    return users.users().stream()
        .filter(u -> u.email() != null && !u.email().isBlank())
        .filter(u -> u.roles().stream().anyMatch(roles::contains))
        .map(SecurityProperties.User::email)
        .distinct()
        .toList();
  }

  private void recordFailure(Channel channel, Notification notification, int attempts, String error) {
    try {
      jdbc.sql("""
              insert into notification_failures (id, event, channel, target, attempts, error, text, failed_at)
              values (?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(UUID.randomUUID().toString(), notification.event(), channel.kind(), truncate(channel.target(), 500),
              attempts, error, notification.text(), Timestamp.from(clock.instant()))
          .update();
    } catch (RuntimeException e) {
      log.warn("Could not record the failed notification: {}", e.getMessage());
    }
  }

  /** Scheme, host and port only: a webhook's path or query may hold its token. */
  static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
