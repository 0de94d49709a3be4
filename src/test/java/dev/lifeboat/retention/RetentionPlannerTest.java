package dev.lifeboat.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.retention.RetentionPlanner.Candidate;
import dev.lifeboat.retention.RetentionPlanner.Decision;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retention against restic's semantics on a synthetic catalogue of four months (2026-09-01 to
 * 2027-01-02, one scheduled backup a day at 02:30 Europe/Berlin, the schedule's zone), with the
 * edges: a month that starts at 00:30 local (still November in UTC), ISO week 2026-W53 reaching into
 * 2027, the repeated hour of 2026-10-25, a failed proof, the last proven backup far outside every
 * window, on-demand backups.
 */
class RetentionPlannerTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final String D = RetentionPlanner.DAILY;
  static final String W = RetentionPlanner.WEEKLY;
  static final String M = RetentionPlanner.MONTHLY;

  /** Scheduled daily backups, each named d-YYYYMMDD, plus the edge cases. */
  static List<Candidate> fourMonths() {
    List<Candidate> backups = new ArrayList<>();
    for (LocalDate day = LocalDate.of(2026, 9, 1); !day.isAfter(LocalDate.of(2027, 1, 2)); day = day.plusDays(1)) {
      LocalTime time = day.equals(LocalDate.of(2026, 12, 1)) ? LocalTime.of(0, 30) : LocalTime.of(2, 30);
      Instant at = LocalDateTime.of(day, time).atZone(BERLIN).toInstant();
      String id = "d-" + day.toString().replace("-", "");
      boolean proven = day.equals(LocalDate.of(2026, 9, 15));
      boolean failed = day.equals(LocalDate.of(2026, 12, 30));
      backups.add(new Candidate(id, at, true, proven, failed, null));
    }
    // Earlier the same day as the newest: not the newest of its day.
    backups.add(scheduled("early-20270102", "2027-01-02T00:00:00Z"));
    // 2026-10-25, the repeated hour: 02:30 CEST (00:30Z) is d-20261025; 02:30 CET again (01:30Z) and
    // 23:30 CET (22:30Z) are the same local day, which is 25 hours long.
    backups.add(scheduled("second-0230-20261025", "2026-10-25T01:30:00Z"));
    backups.add(scheduled("late-20261025", "2026-10-25T22:30:00Z"));
    // On demand.
    backups.add(new Candidate("od-20261220", Instant.parse("2026-12-20T12:00:00Z"), false, false, false, null));
    backups.add(new Candidate("od-20261231", Instant.parse("2026-12-31T12:00:00Z"), false, false, false, null));
    return backups;
  }

  static Candidate scheduled(String id, String at) {
    return new Candidate(id, Instant.parse(at), true, false, false, null);
  }

  /** The table: every backup kept, with all its reasons; everything else is removed. */
  static final Map<String, List<String>> KEPT = table(
      // newest of the source: also newest of its day, week (2026-W53: Mon 12-28 to Sun 2027-01-03) and month
      "d-20270102", List.of(D, W, M, RetentionPlanner.NEWEST),
      "d-20270101", List.of(D),                  // same ISO week 2026-W53 as 12-28..12-31: not a weekly
      "od-20261231", List.of(RetentionPlanner.ON_DEMAND),
      "d-20261231", List.of(D, M),               // December's newest
      // d-20261230: its proof failed, so it counts for no rule and the 30th has no daily
      "d-20261229", List.of(D),
      "d-20261228", List.of(D),
      "d-20261227", List.of(D, W),               // Sunday: newest of 2026-W52; the daily window ends here
      // d-20261226 at 02:30 is exactly 7 days before the newest: not inside (restic: strictly after)
      "d-20261220", List.of(W),                  // Sunday of W51
      "d-20261213", List.of(W),                  // Sunday of W50
      "d-20261206", List.of(W),                  // W49's newest inside the 4 weeks (12-05 02:30 is the edge)
      "d-20261130", List.of(M),                  // November's newest: 12-01 at 00:30 Berlin is December
      "d-20261031", List.of(M),                  // October's newest; the monthly window opens 10-02 02:30
      "d-20260915", List.of(RetentionPlanner.LAST_PROVEN)); // outside every window, the only proven one

  static Map<String, List<String>> table(Object... rows) {
    Map<String, List<String>> table = new LinkedHashMap<>();
    for (int i = 0; i < rows.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> reasons = (List<String>) rows[i + 1];
      table.put((String) rows[i], reasons);
    }
    return table;
  }

  @Test
  void theDefaultPolicyOnFourMonthsKeepsExactlyTheTable() {
    List<Candidate> catalogue = fourMonths();
    Decision decision = RetentionPlanner.plan(catalogue, RetentionPolicy.DEFAULT, BERLIN);

    Map<String, List<String>> kept = decision.keep().stream()
        .collect(Collectors.toMap(RetentionPlanner.Kept::backupId, RetentionPlanner.Kept::reasons, (a, b) -> a,
            LinkedHashMap::new));
    assertThat(kept).containsExactlyInAnyOrderEntriesOf(KEPT);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId).as("newest first")
        .startsWith("d-20270102", "d-20270101", "od-20261231", "d-20261231");
    assertThat(decision.remove()).hasSize(catalogue.size() - KEPT.size());
    Map<String, String> rules = decision.remove().stream()
        .collect(Collectors.toMap(RetentionPlanner.Removed::backupId, RetentionPlanner.Removed::rule));
    assertThat(rules.get("early-20270102")).startsWith("not the newest backup of its day, week or month");
    assertThat(rules.get("d-20261230")).startsWith("its newest proof failed");
    assertThat(rules.get("od-20261220")).isEqualTo("on-demand, beyond the newest 1 (keepOnDemand 1)");
    assertThat(rules.get("d-20260901")).startsWith("older than every window (keepDaily P7D, keepWeekly P4W, keepMonthly P3M)");
    assertThat(rules).containsKeys("d-20261025", "second-0230-20261025", "late-20261025", "d-20261226", "d-20261201");
  }

  @Test
  void theRepeatedHourIsOneLocalDay() {
    // Latest on 10-26: daily P3D keeps one backup of 10-25 (its newest, at 23:30 CET), not three.
    List<Candidate> backups = List.of(
        scheduled("first-0230", "2026-10-25T00:30:00Z"),
        scheduled("second-0230", "2026-10-25T01:30:00Z"),
        scheduled("late", "2026-10-25T22:30:00Z"),
        scheduled("next-day", "2026-10-26T01:30:00Z"));
    Decision decision = RetentionPlanner.plan(backups, new RetentionPolicy("P3D", "P0D", "P0D", 0), BERLIN);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId).containsExactly("next-day", "late");
    // 22:30Z and 23:30Z are one day in UTC, but 23:30 on the 25th and 00:30 on the 26th in Berlin:
    Decision utc = RetentionPlanner.plan(List.of(scheduled("a", "2026-10-25T22:30:00Z"),
        scheduled("b", "2026-10-25T23:30:00Z")), new RetentionPolicy("P3D", "P0D", "P0D", 0), ZoneOffset.UTC);
    assertThat(utc.keep()).extracting(RetentionPlanner.Kept::backupId).containsExactly("b");
    Decision berlin = RetentionPlanner.plan(List.of(scheduled("a", "2026-10-25T22:30:00Z"),
        scheduled("b", "2026-10-25T23:30:00Z")), new RetentionPolicy("P3D", "P0D", "P0D", 0), BERLIN);
    assertThat(berlin.keep()).extracting(RetentionPlanner.Kept::backupId).containsExactly("b", "a");
  }

  @Test
  void theLastProvenIsKeptWhenEveryRuleWouldDropIt() {
    List<Candidate> backups = List.of(
        scheduled("new", "2026-12-01T02:00:00Z"),
        new Candidate("proven-old", Instant.parse("2026-01-01T02:00:00Z"), true, true, false, null),
        new Candidate("proven-older", Instant.parse("2025-12-01T02:00:00Z"), true, true, false, null),
        new Candidate("in-use", Instant.parse("2025-06-01T02:00:00Z"), false, false, false, "run-1"));
    Decision decision = RetentionPlanner.plan(backups, new RetentionPolicy("P0D", "P0D", "P0D", 0), ZoneOffset.UTC);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId, RetentionPlanner.Kept::reasons)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("new", List.of(RetentionPlanner.NEWEST)),
            org.assertj.core.groups.Tuple.tuple("proven-old", List.of(RetentionPlanner.LAST_PROVEN)),
            org.assertj.core.groups.Tuple.tuple("in-use", List.of(RetentionPlanner.IN_USE + "run-1")));
    assertThat(decision.remove()).extracting(RetentionPlanner.Removed::backupId).containsExactly("proven-older");
  }

  @Test
  void onDemandBackupsAreKeptByCountAndScheduledOnesOnlyByTheCalendar() {
    List<Candidate> backups = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      backups.add(new Candidate("od-" + i, Instant.parse("2026-11-0" + i + "T10:00:00Z"), false, false, false, null));
    }
    Decision decision = RetentionPlanner.plan(backups, new RetentionPolicy("P7D", "P4W", "P3M", 3), ZoneOffset.UTC);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId).containsExactly("od-5", "od-4", "od-3");
    assertThat(decision.keep().getFirst().reasons()).containsExactly(RetentionPlanner.ON_DEMAND, RetentionPlanner.NEWEST);
  }

  @Test
  void weeksAcrossTheYearAreIsoWeeks() {
    // 2027-01-03 (Sunday) closes 2026-W53; 2027-01-04 opens 2027-W01; 2026-01-01 (Thursday) is 2026-W01.
    List<Candidate> backups = List.of(
        scheduled("w01-2027", "2027-01-04T12:00:00Z"),
        scheduled("w53-sun", "2027-01-03T12:00:00Z"),
        scheduled("w53-thu", "2026-12-31T12:00:00Z"),
        scheduled("w52-sun", "2026-12-27T12:00:00Z"));
    Decision decision = RetentionPlanner.plan(backups, new RetentionPolicy("P0D", "P4W", "P0D", 0), ZoneOffset.UTC);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId)
        .containsExactly("w01-2027", "w53-sun", "w52-sun");
  }

  @Test
  void monthEndsAreCalendarMonthsAndPeriodsClamp() {
    // Latest 2026-05-31: P3M reaches back to 2026-02-28 (no 31st), so February's newest (the 28th) is kept.
    List<Candidate> backups = List.of(
        scheduled("may-31", "2026-05-31T12:00:00Z"),
        scheduled("apr-30", "2026-04-30T12:00:00Z"),
        scheduled("mar-31", "2026-03-31T12:00:00Z"),
        scheduled("feb-28", "2026-02-28T12:30:00Z"),
        scheduled("jan-31", "2026-01-31T12:00:00Z"));
    Decision decision = RetentionPlanner.plan(backups, new RetentionPolicy("P0D", "P0D", "P3M", 0), ZoneOffset.UTC);
    assertThat(decision.keep()).extracting(RetentionPlanner.Kept::backupId)
        .containsExactly("may-31", "apr-30", "mar-31", "feb-28");
  }
}
