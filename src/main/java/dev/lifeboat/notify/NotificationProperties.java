package dev.lifeboat.notify;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Lifeboat tells people what needs them (README, "Notifications"). Events:
 * {@code approval.requested}, {@code run.failed}, {@code schedule.missed}, {@code backup.stale}.
 *
 * @param baseUrl how people reach Lifeboat, for the links in messages
 * @param webhooks URLs that get a JSON POST with a {@code text} field (chat tools accept it)
 * @param email e-mail through {@code spring.mail.*} to the users' {@code email}: approvals to
 *     approvers and admins, the rest to operators and admins
 * @param retries attempts after the first; the delay starts at {@code initialBackoff} and doubles
 */
@Validated
@ConfigurationProperties("lifeboat.notifications")
public record NotificationProperties(
    @DefaultValue("http://localhost:8080") String baseUrl,
    @DefaultValue List<@Valid Webhook> webhooks,
    @DefaultValue @Valid Email email,
    @Min(0) @DefaultValue("5") int retries,
    @DefaultValue("PT2S") Duration initialBackoff,
    @DefaultValue("PT10S") Duration timeout) {

  public static final Set<String> EVENTS = Set.of("approval.requested", "run.failed", "schedule.missed", "backup.stale");

  public record Webhook(@NotBlank String url, @DefaultValue({"approval.requested", "run.failed", "schedule.missed",
      "backup.stale"}) Set<String> events) {

    public Webhook {
      URI.create(url);
      for (String event : events) {
        if (!EVENTS.contains(event)) {
          throw new IllegalArgumentException("unknown notification event '" + event + "' for webhook: one of " + EVENTS);
        }
      }
    }
  }

  public record Email(@DefaultValue("true") boolean enabled, @DefaultValue("lifeboat@localhost") String from,
      @DefaultValue({"approval.requested", "run.failed", "schedule.missed", "backup.stale"}) Set<String> events) {}
}
