package dev.lifeboat.retention;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what retention keeps of one source, with restic's semantics for its
 * {@code --keep-within-daily/-weekly/-monthly}: walking the backups newest first, the newest one
 * of each calendar day, ISO week (Monday to Sunday, week-based year) and month in the policy's
 * zone is kept while it lies inside that rule's window, counted back from the newest backup of the
 * source (not from now, so a source whose backups stopped keeps its last ones). One backup can
 * satisfy several rules; its reasons list them all.
 *
 * <p>Only scheduled backups count for the calendar rules, on-demand ones for {@code keepOnDemand};
 * a backup whose newest proof failed counts for no rule. Whatever the rules say, the newest backup
 * of the source, the newest proven one and any backup a waiting or running run uses are kept.
 */
public final class RetentionPlanner {

  public static final String DAILY = "daily";
  public static final String WEEKLY = "weekly";
  public static final String MONTHLY = "monthly";
  public static final String ON_DEMAND = "latest on-demand";
  public static final String LAST_PROVEN = "last proven";
  public static final String NEWEST = "newest of source";
  public static final String IN_USE = "in use by run ";

  private RetentionPlanner() {}

  /** One catalogued backup as retention sees it. */
  public record Candidate(String backupId, Instant takenAt, boolean scheduled, boolean proven, boolean proofFailed,
      String inUseBy) {}

  public record Kept(String backupId, Instant takenAt, List<String> reasons) {}

  public record Removed(String backupId, Instant takenAt, String rule) {}

  public record Decision(List<Kept> keep, List<Removed> remove) {}

  private interface Bucket {
    Object key(ZonedDateTime time);
  }

  public static Decision plan(List<Candidate> backups, RetentionPolicy policy, ZoneId zone) {
    List<Candidate> sorted = new ArrayList<>(backups);
    sorted.sort(Comparator.comparing(Candidate::takenAt).thenComparing(Candidate::backupId).reversed());
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    sorted.forEach(b -> reasons.put(b.backupId(), new ArrayList<>()));
    if (sorted.isEmpty()) {
      return new Decision(List.of(), List.of());
    }
    ZonedDateTime latest = sorted.getFirst().takenAt().atZone(zone);
    record Rule(String reason, ZonedDateTime after, Bucket bucket) {}
    List<Rule> rules = List.of(
        new Rule(DAILY, latest.minus(policy.daily()), ZonedDateTime::toLocalDate),
        new Rule(WEEKLY, latest.minus(policy.weekly()),
            t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        new Rule(MONTHLY, latest.minus(policy.monthly()), YearMonth::from));
    Object[] last = new Object[rules.size()];
    int onDemand = 0;
    for (Candidate backup : sorted) {
      if (backup.proofFailed()) {
        continue;
      }
      List<String> why = reasons.get(backup.backupId());
      if (backup.scheduled()) {
        ZonedDateTime at = backup.takenAt().atZone(zone);
        for (int i = 0; i < rules.size(); i++) {
          Rule rule = rules.get(i);
          if (at.isAfter(rule.after())) {
            Object key = rule.bucket().key(at);
            if (!Objects.equals(key, last[i])) {
              last[i] = key;
              why.add(rule.reason());
            }
          }
        }
      } else if (onDemand < policy.keepOnDemand()) {
        onDemand++;
        why.add(ON_DEMAND);
      }
    }
    sorted.stream().filter(Candidate::proven).findFirst()
        .ifPresent(b -> reasons.get(b.backupId()).add(LAST_PROVEN));
    reasons.get(sorted.getFirst().backupId()).add(NEWEST);
    sorted.stream().filter(b -> b.inUseBy() != null)
        .forEach(b -> reasons.get(b.backupId()).add(IN_USE + b.inUseBy()));

    List<Kept> keep = new ArrayList<>();
    List<Removed> remove = new ArrayList<>();
    for (Candidate backup : sorted) {
      List<String> why = reasons.get(backup.backupId());
      if (!why.isEmpty()) {
        keep.add(new Kept(backup.backupId(), backup.takenAt(), List.copyOf(why)));
      } else {
        remove.add(new Removed(backup.backupId(), backup.takenAt(), rule(backup, policy, rules.stream()
            .anyMatch(r -> backup.takenAt().atZone(zone).isAfter(r.after())))));
      }
    }
    return new Decision(List.copyOf(keep), List.copyOf(remove));
  }

  private static String rule(Candidate backup, RetentionPolicy policy, boolean insideAWindow) {
    if (backup.proofFailed()) {
      return "its newest proof failed, so it counts for no rule (" + policy.describe() + ")";
    }
    if (!backup.scheduled()) {
      return "on-demand, beyond the newest " + policy.keepOnDemand() + " (keepOnDemand " + policy.keepOnDemand() + ")";
    }
    String windows = "keepDaily " + policy.keepDaily() + ", keepWeekly " + policy.keepWeekly() + ", keepMonthly "
        + policy.keepMonthly();
    return insideAWindow
        ? "not the newest backup of its day, week or month inside the windows (" + windows + ")"
        : "older than every window (" + windows + ")";
  }

  /** The reasons a backup is kept, if it is. */
  public static Optional<Kept> kept(Decision decision, String backupId) {
    return decision.keep().stream().filter(k -> k.backupId().equals(backupId)).findFirst();
  }
}
