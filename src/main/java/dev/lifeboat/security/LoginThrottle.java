package dev.lifeboat.security;

import dev.lifeboat.security.LoginThrottlePolicy.Counts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consecutive failed logins per user name and per client address, kept in the database
 * ({@code login_throttle}) so that every Lifeboat instance on it counts together. A row is only
 * changed in a transaction that holds its lock ({@code select ... for update}, keys always in the
 * same order), so concurrent attempts on any instance are counted once each, and a lock begins and
 * is seen to end once.
 *
 * <p>A key without failures costs one read per attempt, and its failures are counted after the
 * password check. Once a key has failures, each admitted attempt is counted as a failure before
 * its password is checked and a success clears it again: guesses sent in parallel cannot slip
 * past the limit while the first ones are being checked, and the attempt that reaches it locks
 * the key for everybody else at once.
 */
class LoginThrottle {

  private static final int SUBJECT_MAX = 200;
  private static final int INSERT_RACES = 5;

  /** What a count is kept for: a user name as sent, or a client address. */
  record Key(String lock, String subject) {

    static Key of(String lock, String value) {
      String subject = value == null ? "" : value;
      return new Key(lock, subject.length() <= SUBJECT_MAX ? subject : "sha256:" + sha256(subject));
    }
  }

  /**
   * An attempt let through to the password check: its keys, and those counted already (with the
   * counts after this attempt) because they had failures before it.
   */
  record Admission(String username, String remoteAddress, List<Key> keys, Map<Key, Counts> counted,
      Map<Key, Counts> before) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final LoginThrottlePolicy policy;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  LoginThrottle(JdbcClient jdbc, PlatformTransactionManager transactions, LoginThrottlePolicy policy, Clock clock,
      ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.policy = policy;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Lets an attempt through to the password check, or refuses it with
   * {@link LoginThrottledException} while its user name or its address is locked. A refused
   * attempt changes no count.
   */
  Admission admit(String username, String remoteAddress) {
    Instant now = now();
    List<Key> keys = keys(username, remoteAddress);
    List<LoginThrottleEvent> seen = new ArrayList<>();
    Admission admission = transaction.execute(status -> {
      Map<Key, Counts> held = new LinkedHashMap<>();
      for (Key key : keys) {
        Optional<Counts> counts = lock(key);
        if (counts.isPresent() && policy.forgotten(counts.get(), now)) {
          if (counts.get().lockEndedAt(now)) {
            seen.add(new LoginThrottleEvent.Unlocked(key.lock(), key.subject(), username, remoteAddress,
                counts.get().lockedUntil()));
          }
          delete(key);
        } else {
          counts.ifPresent(c -> held.put(key, c));
        }
      }
      List<String> locks = held.entrySet().stream().filter(e -> e.getValue().lockedAt(now))
          .map(e -> e.getKey().lock()).toList();
      if (!locks.isEmpty()) {
        Instant until = held.values().stream().filter(c -> c.lockedAt(now)).map(Counts::lockedUntil)
            .max(Comparator.naturalOrder()).orElseThrow();
        seen.add(new LoginThrottleEvent.Refused(username, remoteAddress, locks, until,
            LoginThrottlePolicy.secondsUntil(until, now)));
        return null;
      }
      Map<Key, Counts> counted = new LinkedHashMap<>();
      held.forEach((key, counts) -> {
        if (counts.lockEndedAt(now)) {
          seen.add(new LoginThrottleEvent.Unlocked(key.lock(), key.subject(), username, remoteAddress,
              counts.lockedUntil()));
        }
        Counts after = policy.afterFailure(counts.unlocked(), now);
        update(key, after);
        counted.put(key, after);
      });
      return new Admission(username, remoteAddress, keys, counted, held);
    });
    seen.forEach(events::publishEvent);
    if (admission == null) {
      LoginThrottleEvent.Refused refused = (LoginThrottleEvent.Refused) seen.getLast();
      throw new LoginThrottledException(refused.until(), refused.retryAfterSeconds());
    }
    return admission;
  }

  /** The password was right: the user name and the address start again from zero. */
  void succeeded(Admission admission) {
    if (!admission.counted().isEmpty()) {
      transaction.executeWithoutResult(status -> admission.keys().forEach(this::delete));
    }
  }

  /** The password was wrong: counts it for the keys not counted at admission, and publishes any lock it caused. */
  void failed(Admission admission) {
    Instant now = now();
    List<LoginThrottleEvent> locked = new ArrayList<>();
    admission.counted().forEach((key, after) -> {
      if (after.lockouts() > admission.before().get(key).lockouts()) {
        locked.add(lockedEvent(key, admission, after));
      }
    });
    List<Key> uncounted = admission.keys().stream().filter(k -> !admission.counted().containsKey(k)).toList();
    if (!uncounted.isEmpty()) {
      locked.addAll(countAfterwards(uncounted, admission, now));
    }
    locked.forEach(events::publishEvent);
  }

  private List<LoginThrottleEvent> countAfterwards(List<Key> keys, Admission admission, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.execute(status -> {
          List<LoginThrottleEvent> locked = new ArrayList<>();
          for (Key key : keys) {
            Optional<Counts> stored = lock(key);
            Counts before = stored.filter(c -> !policy.forgotten(c, now)).orElse(Counts.NONE);
            Counts after = policy.afterFailure(before, now);
            if (stored.isPresent()) {
              update(key, after);
            } else {
              insert(key, after);
            }
            if (after.lockouts() > before.lockouts()) {
              locked.add(lockedEvent(key, admission, after));
            }
          }
          return locked;
        });
      } catch (DuplicateKeyException race) {
        // Another attempt inserted the same key first; counting again finds its row.
        if (attempt == INSERT_RACES) {
          throw race;
        }
      }
    }
  }

  /**
   * Records the end of locks that nobody has tried since, and forgets counts older than
   * {@code reset-after}, so the table holds only what is current.
   */
  @Scheduled(fixedDelay = 60, initialDelay = 60, timeUnit = TimeUnit.SECONDS)
  void sweep() {
    Instant now = now();
    Instant forgottenBefore = now.minus(policy.resetAfter());
    List<Key> candidates = jdbc.sql("""
            select lock_kind, subject from login_throttle
            where locked_until <= ? or (locked_until is null and last_failure_at <= ?)""")
        .params(time(now), time(forgottenBefore))
        .query((rs, n) -> new Key(rs.getString(1), rs.getString(2)))
        .list();
    for (Key key : candidates) {
      Optional<LoginThrottleEvent> unlocked = transaction.execute(status -> {
        Optional<Counts> counts = lock(key);
        if (counts.isEmpty() || counts.get().lockedAt(now)) {
          return Optional.empty();
        }
        Counts c = counts.get();
        if (policy.forgotten(c, now)) {
          delete(key);
        } else if (c.lockEndedAt(now)) {
          update(key, c.unlocked());
        }
        return c.lockEndedAt(now)
            ? Optional.of(new LoginThrottleEvent.Unlocked(key.lock(), key.subject(), null, null, c.lockedUntil()))
            : Optional.empty();
      });
      unlocked.ifPresent(events::publishEvent);
    }
  }

  private LoginThrottleEvent lockedEvent(Key key, Admission admission, Counts after) {
    return new LoginThrottleEvent.Locked(key.lock(), key.subject(), admission.username(), admission.remoteAddress(),
        after.failures(), after.lockouts(), policy.delay(after.lockouts()), after.lockedUntil());
  }

  /** The keys of an attempt in the one order every transaction locks them in. */
  private static List<Key> keys(String username, String remoteAddress) {
    List<Key> keys = new ArrayList<>();
    if (remoteAddress != null) {
      keys.add(Key.of(LoginThrottleEvent.ADDRESS, remoteAddress));
    }
    keys.add(Key.of(LoginThrottleEvent.USER, username));
    return keys;
  }

  private Optional<Counts> lock(Key key) {
    return jdbc.sql("""
            select failures, lockouts, locked_until, last_failure_at from login_throttle
            where lock_kind = ? and subject = ? for update""")
        .params(key.lock(), key.subject())
        .query((rs, n) -> new Counts(rs.getInt(1), rs.getInt(2), instant(rs, 3), instant(rs, 4)))
        .optional();
  }

  private void insert(Key key, Counts counts) {
    jdbc.sql("""
            insert into login_throttle (lock_kind, subject, failures, lockouts, locked_until, last_failure_at)
            values (?, ?, ?, ?, ?, ?)""")
        .params(key.lock(), key.subject(), counts.failures(), counts.lockouts(), time(counts.lockedUntil()),
            time(counts.lastFailureAt()))
        .update();
  }

  private void update(Key key, Counts counts) {
    jdbc.sql("""
            update login_throttle set failures = ?, lockouts = ?, locked_until = ?, last_failure_at = ?
            where lock_kind = ? and subject = ?""")
        .params(counts.failures(), counts.lockouts(), time(counts.lockedUntil()), time(counts.lastFailureAt()),
            key.lock(), key.subject())
        .update();
  }

  private void delete(Key key) {
    jdbc.sql("delete from login_throttle where lock_kind = ? and subject = ?").params(key.lock(), key.subject()).update();
  }

  /** Both databases keep microseconds; a time read back equals the one written. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
