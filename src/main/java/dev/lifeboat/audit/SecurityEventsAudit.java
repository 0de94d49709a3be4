package dev.lifeboat.audit;

import static dev.lifeboat.audit.AuditDetails.of;

import dev.lifeboat.security.LoginThrottleEvent;
import dev.lifeboat.security.Role;
import dev.lifeboat.security.UsersConfigured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Records logins and changes to who may log in.
 *
 * <p>Successful logins are recorded when they are interactive (the web UI's form login), not for
 * HTTP Basic: a script authenticates on every API request, and recording each would bury the trail.
 * Every failed attempt is recorded, Basic included, with the user name as sent and nothing else of
 * the credentials.
 *
 * <p>Login throttling's lockouts, their ends and the attempts refused while locked are recorded
 * with the user name as sent as actor (for the end of an address's lock seen by the periodic
 * sweep, {@value RunEventsAudit#SYSTEM}); never a password, which the throttle never sees.
 *
 * <p>At start-up the users who may log in (names and roles, never password hashes) are compared
 * with those recorded by the latest {@code users.changed} event; any difference is recorded by
 * {@value RunEventsAudit#SYSTEM} with the whole list, which the next start compares against.
 */
@Component
class SecurityEventsAudit {

  private final AuditTrail trail;

  SecurityEventsAudit(AuditTrail trail) {
    this.trail = trail;
  }

  @EventListener
  void on(InteractiveAuthenticationSuccessEvent e) {
    trail.append(AuditEntry.of(AuditAction.LOGIN_SUCCEEDED, e.getAuthentication().getName(),
        of("remoteAddress", remoteAddress(e.getAuthentication()))));
  }

  @EventListener
  void on(AbstractAuthenticationFailureEvent e) {
    trail.append(AuditEntry.of(AuditAction.LOGIN_FAILED, e.getAuthentication().getName(),
        of("reason", e.getException().getClass().getSimpleName(), "remoteAddress", remoteAddress(e.getAuthentication()))));
  }

  @EventListener
  void on(LoginThrottleEvent.Locked e) {
    trail.append(AuditEntry.of(AuditAction.LOGIN_LOCKED, e.username(), of("lock", e.lock(),
        "address", LoginThrottleEvent.ADDRESS.equals(e.lock()) ? e.subject() : null,
        "remoteAddress", e.remoteAddress(), "failures", e.failures(), "lockout", e.lockout(),
        "delaySeconds", e.delay().toSeconds(), "lockedUntil", e.until().toString())));
  }

  @EventListener
  void on(LoginThrottleEvent.Unlocked e) {
    boolean user = LoginThrottleEvent.USER.equals(e.lock());
    String actor = user ? e.subject() : Objects.requireNonNullElse(e.username(), RunEventsAudit.SYSTEM);
    trail.append(AuditEntry.of(AuditAction.LOGIN_UNLOCKED, actor, of("lock", e.lock(),
        "address", user ? null : e.subject(), "remoteAddress", e.remoteAddress(),
        "lockedUntil", e.lockedUntil().toString(), "seenBy", e.username() == null ? "sweep" : "next attempt")));
  }

  @EventListener
  void on(LoginThrottleEvent.Refused e) {
    trail.append(AuditEntry.of(AuditAction.LOGIN_THROTTLED, e.username(), of("locks", e.locks(),
        "remoteAddress", e.remoteAddress(), "retryAfterSeconds", e.retryAfterSeconds(),
        "lockedUntil", e.until().toString())));
  }

  @EventListener
  void on(UsersConfigured e) {
    Map<String, List<String>> now = new TreeMap<>();
    e.users().forEach((user, roles) -> now.put(user, roles.stream().map(Role::name).sorted().toList()));
    trail.appendAfterLast(AuditAction.USERS_CHANGED, last -> changes(last.map(SecurityEventsAudit::users), now));
  }

  private static Optional<AuditEntry> changes(Optional<Map<String, List<String>>> before, Map<String, List<String>> now) {
    Map<String, List<String>> was = before.orElse(Map.of());
    List<Map<String, Object>> added = new ArrayList<>();
    List<Map<String, Object>> removed = new ArrayList<>();
    List<Map<String, Object>> rolesChanged = new ArrayList<>();
    now.forEach((user, roles) -> {
      if (!was.containsKey(user)) {
        added.add(of("username", user, "roles", roles));
      } else if (!Objects.equals(was.get(user), roles)) {
        rolesChanged.add(of("username", user, "from", was.get(user), "to", roles));
      }
    });
    was.forEach((user, roles) -> {
      if (!now.containsKey(user)) {
        removed.add(of("username", user, "roles", roles));
      }
    });
    if (before.isPresent() && added.isEmpty() && removed.isEmpty() && rolesChanged.isEmpty()) {
      return Optional.empty();
    }
    List<Map<String, Object>> users = new ArrayList<>();
    now.forEach((user, roles) -> users.add(of("username", user, "roles", roles)));
    return Optional.of(AuditEntry.of(AuditAction.USERS_CHANGED, RunEventsAudit.SYSTEM,
        of("added", added, "removed", removed, "rolesChanged", rolesChanged, "users", users)));
  }

  /** The list recorded by a users.changed event, as username to sorted role names. */
  private static Map<String, List<String>> users(AuditEvent event) {
    Map<String, List<String>> users = new TreeMap<>();
    if (event.details().get("users") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> user && user.get("roles") instanceof List<?> roles) {
          users.put(String.valueOf(user.get("username")), roles.stream().map(String::valueOf).sorted().toList());
        }
      }
    }
    return users;
  }

  private static String remoteAddress(Authentication authentication) {
    return authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
  }
}
