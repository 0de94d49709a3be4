package dev.lifeboat.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What login throttling publishes (README, "Login throttling"). {@code lock} says what a count is
 * kept for: {@code user} (a user name as sent) or {@code address} (a client address), and
 * {@code subject} is that user name or address. None carries a password.
 */
public sealed interface LoginThrottleEvent {

  String USER = "user";
  String ADDRESS = "address";

  /** A failed login reached the limit: attempts for {@code subject} are refused until {@code until}. */
  record Locked(String lock, String subject, String username, String remoteAddress, int failures, int lockout,
      Duration delay, Instant until) implements LoginThrottleEvent {}

  /**
   * A lock that ended at {@code lockedUntil} was seen to have ended: by the next attempt
   * ({@code username} and {@code remoteAddress} are that attempt's), or by the periodic sweep (both null).
   */
  record Unlocked(String lock, String subject, String username, String remoteAddress, Instant lockedUntil)
      implements LoginThrottleEvent {}

  /** An attempt refused without looking at its password, because of {@code locks}, until {@code until}. */
  record Refused(String username, String remoteAddress, List<String> locks, Instant until, long retryAfterSeconds)
      implements LoginThrottleEvent {}
}
