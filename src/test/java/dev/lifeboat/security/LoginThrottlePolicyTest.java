package dev.lifeboat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.security.LoginThrottlePolicy.Counts;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/** The delay arithmetic of login throttling, on a fixed clock moved by hand, and its settings. */
class LoginThrottlePolicyTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private final LoginThrottlePolicy defaults = new LoginThrottlePolicy(
      new LoginThrottleProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(24)));
  private Clock clock = Clock.fixed(START, ZoneOffset.UTC);

  @Test
  void theDelayDoublesWithEachLockoutUpToTheCap() {
    assertThat(defaults.delay(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.delay(2)).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.delay(3)).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.delay(4)).isEqualTo(Duration.ofMinutes(4));
    assertThat(defaults.delay(5)).isEqualTo(Duration.ofMinutes(8));
    assertThat(defaults.delay(6)).isEqualTo(Duration.ofMinutes(15)); // 16 min, capped
    assertThat(defaults.delay(7)).isEqualTo(Duration.ofMinutes(15));
    assertThat(defaults.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void theFifthConsecutiveFailureLocksForTheInitialDelay() {
    Counts counts = Counts.NONE;
    for (int i = 1; i <= 4; i++) {
      counts = defaults.afterFailure(counts, clock.instant());
      assertThat(counts.lockedAt(clock.instant())).as("after failure " + i).isFalse();
    }
    counts = defaults.afterFailure(counts, clock.instant());
    assertThat(counts.failures()).isEqualTo(5);
    assertThat(counts.lockouts()).isEqualTo(1);
    assertThat(counts.lockedUntil()).isEqualTo(START.plusSeconds(30));
    assertThat(counts.lockedAt(clock.instant())).isTrue();
    advance(Duration.ofSeconds(29));
    assertThat(counts.lockedAt(clock.instant())).isTrue();
    advance(Duration.ofSeconds(1));
    assertThat(counts.lockedAt(clock.instant())).isFalse();
    assertThat(counts.lockEndedAt(clock.instant())).isTrue();
  }

  @Test
  void aFailureWhileLockedCountsButNeverExtendsTheLock() {
    Counts locked = lockedOnce();
    advance(Duration.ofSeconds(20));
    Counts after = defaults.afterFailure(locked, clock.instant());
    assertThat(after.failures()).isEqualTo(6);
    assertThat(after.lockouts()).isEqualTo(1);
    assertThat(after.lockedUntil()).isEqualTo(START.plusSeconds(30));
  }

  @Test
  void afterALockEndsOneFailureLocksAgainForTwiceAsLong() {
    Counts counts = lockedOnce();
    advance(Duration.ofSeconds(30));
    counts = defaults.afterFailure(counts.unlocked(), clock.instant());
    assertThat(counts.lockouts()).isEqualTo(2);
    assertThat(counts.lockedUntil()).isEqualTo(clock.instant().plusSeconds(60));
  }

  @Test
  void noLockEverLastsLongerThanTheCapHoweverLongTheAttackGoesOn() {
    Counts counts = lockedOnce();
    Duration longest = Duration.ZERO;
    for (int lockout = 2; lockout <= 40; lockout++) {
      clock = Clock.fixed(counts.lockedUntil(), ZoneOffset.UTC); // the first moment it may be tried again
      counts = defaults.afterFailure(counts.unlocked(), clock.instant());
      assertThat(counts.lockouts()).isEqualTo(lockout);
      Duration lock = Duration.between(clock.instant(), counts.lockedUntil());
      assertThat(lock).as("lockout " + lockout).isLessThanOrEqualTo(Duration.ofMinutes(15));
      // hammering during the lock changes nothing about its end
      Instant end = counts.lockedUntil();
      for (int i = 0; i < 10; i++) {
        counts = defaults.afterFailure(counts, clock.instant().plus(lock.dividedBy(10).multipliedBy(i)));
      }
      assertThat(counts.lockedUntil()).isEqualTo(end);
      longest = lock.compareTo(longest) > 0 ? lock : longest;
    }
    assertThat(longest).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void countsAreForgottenAfterResetAfterWithoutFailures() {
    Counts counts = defaults.afterFailure(Counts.NONE, clock.instant());
    advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(defaults.forgotten(counts, clock.instant())).isFalse();
    advance(Duration.ofSeconds(1));
    assertThat(defaults.forgotten(counts, clock.instant())).isTrue();
  }

  @Test
  void aLockInForceIsNeverForgotten() {
    LoginThrottlePolicy shortReset = new LoginThrottlePolicy(
        new LoginThrottleProperties(1, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofMinutes(15)));
    Counts counts = shortReset.afterFailure(Counts.NONE, clock.instant());
    advance(Duration.ofMinutes(15).minusNanos(1000));
    assertThat(shortReset.forgotten(counts, clock.instant())).isFalse();
    advance(Duration.ofNanos(1000));
    assertThat(shortReset.forgotten(counts, clock.instant())).isTrue();
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(LoginThrottlePolicy.secondsUntil(START.plusSeconds(30), START)).isEqualTo(30);
    assertThat(LoginThrottlePolicy.secondsUntil(START.plusMillis(1200), START)).isEqualTo(2);
    assertThat(LoginThrottlePolicy.secondsUntil(START.plusNanos(1000), START)).isEqualTo(1);
    assertThat(LoginThrottlePolicy.secondsUntil(START, START)).isEqualTo(1);
  }

  @Test
  void theDocumentedDefaultsBindAndUnorderedDelaysAreRefused() {
    LoginThrottleProperties defaults = bind(Map.of());
    assertThat(defaults).isEqualTo(
        new LoginThrottleProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(24)));
    assertThat(bind(Map.of("initial-delay", "PT2S", "max-delay", "PT5S")).maxDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> bind(Map.of("initial-delay", "PT20M"))).isInstanceOf(BindException.class)
        .rootCause().hasMessageContaining("initial-delay <= max-delay");
    assertThatThrownBy(() -> bind(Map.of("max-failures", "0"))).isInstanceOf(BindException.class);
  }

  @Test
  void delaysMustBeOrdered() {
    assertThat(new LoginThrottleProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(24))
        .isOrdered()).isTrue();
    assertThat(new LoginThrottleProperties(5, Duration.ofMinutes(20), Duration.ofMinutes(15), Duration.ofHours(24))
        .isOrdered()).isFalse();
    assertThat(new LoginThrottleProperties(5, Duration.ZERO, Duration.ofMinutes(15), Duration.ofHours(24))
        .isOrdered()).isFalse();
    assertThat(new LoginThrottleProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofMinutes(10))
        .isOrdered()).isFalse();
  }

  private static LoginThrottleProperties bind(Map<String, String> properties) {
    Map<String, String> prefixed = new HashMap<>();
    properties.forEach((k, v) -> prefixed.put("lifeboat.security.login-throttle." + k, v));
    try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
      return new Binder(new MapConfigurationPropertySource(prefixed))
          .bindOrCreate("lifeboat.security.login-throttle", Bindable.of(LoginThrottleProperties.class),
              new ValidationBindHandler(new SpringValidatorAdapter(validation.getValidator())));
    }
  }

  private Counts lockedOnce() {
    Counts counts = Counts.NONE;
    for (int i = 0; i < 5; i++) {
      counts = defaults.afterFailure(counts, clock.instant());
    }
    assertThat(counts.lockedUntil()).isEqualTo(clock.instant().plusSeconds(30));
    return counts;
  }

  private void advance(Duration duration) {
    clock = Clock.offset(clock, duration);
  }
}
