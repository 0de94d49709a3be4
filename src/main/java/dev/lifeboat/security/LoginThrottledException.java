package dev.lifeboat.security;

import java.time.Instant;
import org.springframework.security.core.AuthenticationException;

/**
 * A login refused by the login throttle, before its password was looked at. The API answers it
 * with 429 and a problem detail, the login form with its page and status 429; both send
 * {@code Retry-After}.
 */
public class LoginThrottledException extends AuthenticationException {

  private final Instant retryAt;
  private final long retryAfterSeconds;

  LoginThrottledException(Instant retryAt, long retryAfterSeconds) {
    super("too many failed logins for this user name or from this address; try again in " + retryAfterSeconds
        + " s, after " + retryAt);
    this.retryAt = retryAt;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Instant retryAt() {
    return retryAt;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
