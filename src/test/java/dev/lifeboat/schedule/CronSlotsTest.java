package dev.lifeboat.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronSlotsTest {

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void fiveFieldsInUtcByDefault() {
    CronSlots cron = CronSlots.parse("30 2 * * *", null);
    assertThat(cron.zone().getId()).isEqualTo("Z");
    assertThat(cron.next(at("2026-11-30T10:00:00Z"), 3))
        .containsExactly(at("2026-12-01T02:30:00Z"), at("2026-12-02T02:30:00Z"), at("2026-12-03T02:30:00Z"));
  }

  @Test
  void macrosAreCrontabs() {
    assertThat(CronSlots.parse("@daily", "UTC").next(at("2026-11-30T10:00:00Z"))).isEqualTo(at("2026-12-01T00:00:00Z"));
    // 2026-11-30 is a Monday: @weekly is Sunday midnight.
    assertThat(CronSlots.parse("@weekly", "UTC").next(at("2026-11-30T10:00:00Z"))).isEqualTo(at("2026-12-06T00:00:00Z"));
    assertThat(CronSlots.parse("@monthly", "UTC").next(at("2026-11-30T10:00:00Z"))).isEqualTo(at("2026-12-01T00:00:00Z"));
  }

  @Test
  void slotsAreLocalTimesOfTheZone() {
    CronSlots cron = CronSlots.parse("0 9 * * 1-5", "Europe/Berlin");
    // Friday 2026-12-04 09:00 CET = 08:00Z, then Monday 2026-12-07.
    assertThat(cron.next(at("2026-12-04T07:00:00Z"), 2)).containsExactly(at("2026-12-04T08:00:00Z"),
        at("2026-12-07T08:00:00Z"));
  }

  @Test
  void aSlotInTheSkippedHourDoesNotExist() {
    // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
    CronSlots cron = CronSlots.parse("30 2 * * *", "Europe/Berlin");
    assertThat(cron.next(at("2026-03-27T12:00:00Z"), 3)).containsExactly(
        at("2026-03-28T01:30:00Z"), // 02:30 CET
        at("2026-03-30T00:30:00Z"), // 02:30 CEST; the 29th has no slot
        at("2026-03-31T00:30:00Z"));
  }

  @Test
  void aSlotInTheRepeatedHourRunsOnce() {
    // Europe/Berlin, 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice, is one slot.
    CronSlots cron = CronSlots.parse("30 2 * * *", "Europe/Berlin");
    assertThat(cron.next(at("2026-10-24T12:00:00Z"), 3)).containsExactly(
        at("2026-10-25T00:30:00Z"), // the first 02:30 (CEST)
        at("2026-10-26T01:30:00Z"), // 02:30 CET
        at("2026-10-27T01:30:00Z"));
    // Asked from inside the repeated hour, after the first 02:30: the second 02:30 is no slot.
    assertThat(cron.next(at("2026-10-25T01:15:00Z"))).isEqualTo(at("2026-10-26T01:30:00Z"));
    // Hourly: 02:30 once, then 03:30 CET.
    CronSlots hourly = CronSlots.parse("30 * * * *", "Europe/Berlin");
    assertThat(hourly.between(at("2026-10-24T23:00:00Z"), at("2026-10-25T03:00:00Z"), 10)).containsExactly(
        at("2026-10-24T23:30:00Z"), at("2026-10-25T00:30:00Z"), at("2026-10-25T02:30:00Z"));
  }

  @Test
  void betweenKeepsTheNewestSlotsUpToTheLimit() {
    CronSlots cron = CronSlots.parse("* * * * *", "UTC");
    List<Instant> slots = cron.between(at("2026-11-30T10:00:00Z"), at("2026-11-30T10:10:00Z"), 3);
    assertThat(slots).containsExactly(at("2026-11-30T10:08:00Z"), at("2026-11-30T10:09:00Z"), at("2026-11-30T10:10:00Z"));
    assertThat(cron.between(at("2026-11-30T10:00:00Z"), at("2026-11-30T10:00:30Z"), 3)).isEmpty();
  }

  @Test
  void sixFieldsHaveSeconds() {
    assertThat(CronSlots.parse("*/10 * * * * *", "UTC").next(at("2026-11-30T10:00:01Z"))).isEqualTo(at("2026-11-30T10:00:10Z"));
  }

  @Test
  void expectedIntervalIsTheShortestGap() {
    assertThat(CronSlots.parse("@daily", "UTC").expectedInterval(at("2026-11-30T10:00:00Z"))).isEqualTo(Duration.ofDays(1));
    assertThat(CronSlots.parse("0 9 * * 1-5", "UTC").expectedInterval(at("2026-11-30T10:00:00Z"))).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void wrongExpressionsSayWhatIsWrong() {
    assertThatThrownBy(() -> CronSlots.parse("30 2 * *", "UTC")).hasMessageContaining("has 4 fields; it needs five");
    assertThatThrownBy(() -> CronSlots.parse("@fortnightly", "UTC")).hasMessageContaining("unknown cron macro");
    assertThatThrownBy(() -> CronSlots.parse("61 2 * * *", "UTC")).hasMessageContaining("is not valid");
    assertThatThrownBy(() -> CronSlots.parse("0 2 1 * 1", "UTC")).hasMessageContaining("both the day of month and the day of week");
    assertThatThrownBy(() -> CronSlots.parse("0 2 * * *", "Mars/Olympus")).hasMessageContaining("unknown time zone");
    assertThatThrownBy(() -> CronSlots.parse(" ", "UTC")).hasMessageContaining("cron is required");
  }
}
