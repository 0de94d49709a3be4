package dev.lifeboat.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.scheduling.support.CronExpression;

/**
 * The slots of a cron expression in a time zone. Five fields as in crontab(5) (minute, hour, day of
 * month, month, day of week), or {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly},
 * {@code @yearly}; six fields (a leading seconds field) are accepted too.
 *
 * <p>Slots are local times of the zone. Across daylight-saving changes a local time that does not
 * exist (the hour skipped in spring) is no slot at all, and one that occurs twice (the hour repeated
 * in autumn) is one slot, at its first occurrence.
 */
public final class CronSlots {

  private final String text;
  private final ZoneId zone;
  private final CronExpression expression;

  private CronSlots(String text, ZoneId zone, CronExpression expression) {
    this.text = text;
    this.zone = zone;
    this.expression = expression;
  }

  /** Parses {@code cron} in {@code timeZone} (IANA name); throws {@link IllegalArgumentException} saying what is wrong. */
  public static CronSlots parse(String cron, String timeZone) {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("cron is required: five fields as in crontab(5), e.g. \"30 2 * * *\", or @daily,"
          + " @weekly, @monthly");
    }
    ZoneId zone = zone(timeZone);
    String trimmed = cron.strip();
    String spring;
    if (trimmed.startsWith("@")) {
      String macro = trimmed.toLowerCase(Locale.ROOT);
      if (!List.of("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually").contains(macro)) {
        throw new IllegalArgumentException("unknown cron macro '" + trimmed + "': use @hourly, @daily, @weekly, @monthly"
            + " or @yearly, or five fields");
      }
      spring = macro;
    } else {
      String[] fields = trimmed.split("\\s+");
      if (fields.length != 5 && fields.length != 6) {
        throw new IllegalArgumentException("cron '" + trimmed + "' has " + fields.length + " fields; it needs five"
            + " (minute hour day-of-month month day-of-week), e.g. \"30 2 * * *\"");
      }
      int dayOfMonth = fields.length - 3;
      int dayOfWeek = fields.length - 1;
      if (restricted(fields[dayOfMonth]) && restricted(fields[dayOfWeek])) {
        throw new IllegalArgumentException("cron '" + trimmed + "' restricts both the day of month and the day of week;"
            + " crontab(5) runs when either matches, which is ambiguous here: restrict only one of them");
      }
      spring = fields.length == 5 ? "0 " + trimmed : trimmed;
    }
    try {
      return new CronSlots(trimmed, zone, CronExpression.parse(spring));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cron '" + trimmed + "' is not valid: " + e.getMessage(), e);
    }
  }

  static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(timeZone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + timeZone + "': use an IANA name such as Europe/Berlin"
          + " or UTC", e);
    }
  }

  private static boolean restricted(String field) {
    return !field.equals("*") && !field.equals("?");
  }

  public String text() {
    return text;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first slot strictly after {@code after}, or null when there is none (within about four years). */
  public Instant next(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    // In the repeated hour a later instant can have an earlier local time than a slot already passed:
    // such candidates map to instants not after 'after' and are passed over below.
    for (int i = 0; i < 10_000; i++) {
      local = expression.next(local);
      if (local == null) {
        return null;
      }
      List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
      if (offsets.isEmpty()) {
        continue; // skipped by a daylight-saving change: this slot does not exist
      }
      Instant slot = local.toInstant(offsets.getFirst()); // a repeated local time: its first occurrence only
      if (slot.isAfter(after)) {
        return slot;
      }
    }
    return null;
  }

  /** The next {@code count} slots after {@code after}. */
  public List<Instant> next(Instant after, int count) {
    List<Instant> slots = new ArrayList<>();
    Instant at = after;
    while (slots.size() < count) {
      at = next(at);
      if (at == null) {
        break;
      }
      slots.add(at);
    }
    return slots;
  }

  /** Slots in ({@code from}, {@code to}], oldest first, at most {@code limit} (the newest ones). */
  public List<Instant> between(Instant from, Instant to, int limit) {
    List<Instant> slots = new ArrayList<>();
    Instant at = from;
    while (true) {
      at = next(at);
      if (at == null || at.isAfter(to)) {
        break;
      }
      slots.add(at);
      if (slots.size() > limit) {
        slots.removeFirst();
      }
    }
    return slots;
  }

  /** How far apart slots usually are: the shortest gap among the next few, for freshness. */
  public Duration expectedInterval(Instant from) {
    List<Instant> slots = next(from, 6);
    Duration shortest = null;
    for (int i = 1; i < slots.size(); i++) {
      Duration gap = Duration.between(slots.get(i - 1), slots.get(i));
      if (shortest == null || gap.compareTo(shortest) < 0) {
        shortest = gap;
      }
    }
    return shortest == null ? Duration.ofDays(365) : shortest;
  }
}
