package dev.lifeboat.security;

import java.time.Duration;
import java.time.Instant;

/**
 * The arithmetic of login throttling, apart from where the counts are kept: when a run of
 * failures locks, for how long, and when counts are forgotten.
 */
final class LoginThrottlePolicy {

  /** A user name's or address's consecutive failures, the lockouts they earned, the current lock's end. */
  record Counts(int failures, int lockouts, Instant lockedUntil, Instant lastFailureAt) {

    static final Counts NONE = new Counts(0, 0, null, null);

    boolean lockedAt(Instant now) {
      return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /** A lock that has ended but is still recorded: nobody has tried since it ended. */
    boolean lockEndedAt(Instant now) {
      return lockedUntil != null && !now.isBefore(lockedUntil);
    }

    Counts unlocked() {
      return new Counts(failures, lockouts, null, lastFailureAt);
    }
  }

  private final int maxFailures;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Duration resetAfter;

  LoginThrottlePolicy(LoginThrottleProperties properties) {
    this.maxFailures = properties.maxFailures();
    this.initialDelay = properties.initialDelay();
    this.maxDelay = properties.maxDelay();
    this.resetAfter = properties.resetAfter();
  }

  /** How long lockout number {@code lockout} (1, 2, …) lasts: the initial delay doubled for each lockout before it, at most the maximum. */
  Duration delay(int lockout) {
    Duration delay = initialDelay;
    for (int i = 1; i < lockout && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }

  /**
   * The counts after one more failure at {@code now}. The {@code maxFailures}-th consecutive
   * failure locks, and so does every failure after that (the first attempt after a lock ends gets
   * one try), each lockout longer than the one before. A failure while a lock is in force (an
   * attempt that was already past the check when the lock began) only counts: nothing extends a
   * lock beyond the delay it started with.
   */
  Counts afterFailure(Counts counts, Instant now) {
    int failures = counts.failures() + 1;
    if (failures < maxFailures || counts.lockedAt(now)) {
      return new Counts(failures, counts.lockouts(), counts.lockedUntil(), now);
    }
    int lockout = counts.lockouts() + 1;
    return new Counts(failures, lockout, now.plus(delay(lockout)), now);
  }

  Duration resetAfter() {
    return resetAfter;
  }

  /** Counts old enough to forget: no failure for {@code resetAfter} and no lock in force. */
  boolean forgotten(Counts counts, Instant now) {
    return !counts.lockedAt(now) && !counts.lastFailureAt().plus(resetAfter).isAfter(now);
  }

  /** Whole seconds from {@code now} until {@code until}, rounded up and at least 1 (for Retry-After). */
  static long secondsUntil(Instant until, Instant now) {
    Duration left = Duration.between(now, until);
    long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
