package dev.lifeboat.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Period;
import java.time.format.DateTimeParseException;

/**
 * What retention keeps of one source: the newest scheduled backup of each calendar day, ISO week
 * and month inside the windows {@code keepDaily}, {@code keepWeekly}, {@code keepMonthly} (ISO-8601
 * periods such as {@code P7D}, {@code P4W}, {@code P3M}; {@code P0D} keeps none by that rule),
 * counted back from the newest backup of the source, and the newest {@code keepOnDemand} backups
 * made on demand. The default is procedure 002's: 7 days, 4 weeks, 3 months and the latest
 * on-demand backup.
 */
public record RetentionPolicy(String keepDaily, String keepWeekly, String keepMonthly, Integer keepOnDemand) {

  public static final RetentionPolicy DEFAULT = new RetentionPolicy("P7D", "P4W", "P3M", 1);

  /** Fills what is missing from the default and checks the rest; {@link IllegalArgumentException} says what is wrong. */
  public RetentionPolicy {
    keepDaily = window("keepDaily", keepDaily, "P7D");
    keepWeekly = window("keepWeekly", keepWeekly, "P4W");
    keepMonthly = window("keepMonthly", keepMonthly, "P3M");
    if (keepOnDemand == null) {
      keepOnDemand = 1;
    }
    if (keepOnDemand < 0) {
      throw new IllegalArgumentException("retention.keepOnDemand must be 0 or more (a count of on-demand backups)");
    }
  }

  private static String window(String name, String value, String fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      Period period = Period.parse(value.strip());
      if (period.isNegative()) {
        throw new IllegalArgumentException("retention." + name + " must not be negative: " + value);
      }
      return value.strip();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("retention." + name + " '" + value + "' is not an ISO-8601 period such as P7D,"
          + " P4W or P3M", e);
    }
  }

  @JsonIgnore
  public Period daily() {
    return Period.parse(keepDaily);
  }

  @JsonIgnore
  public Period weekly() {
    return Period.parse(keepWeekly);
  }

  @JsonIgnore
  public Period monthly() {
    return Period.parse(keepMonthly);
  }

  /** One line for messages and audit events: "daily P7D, weekly P4W, monthly P3M, on-demand 1". */
  public String describe() {
    return "daily " + keepDaily + ", weekly " + keepWeekly + ", monthly " + keepMonthly + ", on-demand " + keepOnDemand;
  }

}
