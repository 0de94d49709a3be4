package dev.lifeboat.security;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling for the login form and HTTP Basic (README, "Login throttling"). After
 * {@code maxFailures} consecutive failed logins for one user name, or from one client address,
 * attempts are refused for {@code initialDelay}; each further lockout doubles the delay, up to
 * {@code maxDelay}. A user name or address with no failed login for {@code resetAfter} starts
 * again from zero.
 */
@Validated
@ConfigurationProperties("lifeboat.security.login-throttle")
record LoginThrottleProperties(
    @DefaultValue("5") @Min(1) int maxFailures,
    @DefaultValue("PT30S") @NotNull Duration initialDelay,
    @DefaultValue("PT15M") @NotNull Duration maxDelay,
    @DefaultValue("PT24H") @NotNull Duration resetAfter) {

  @AssertTrue(message = "lifeboat.security.login-throttle needs 0 < initial-delay <= max-delay <= reset-after")
  boolean isOrdered() {
    return initialDelay == null || maxDelay == null || resetAfter == null
        || (initialDelay.isPositive() && initialDelay.compareTo(maxDelay) <= 0 && maxDelay.compareTo(resetAfter) <= 0);
  }
}
