package dev.lifeboat.retention;

import java.time.Instant;
import java.util.List;

/**
 * What retention would keep and remove now: {@code keep} with the reasons of each backup,
 * {@code remove} with the rule that drops each; {@code groups} the policy applied to each source.
 */
public record RetentionPreview(List<Keep> keep, List<Remove> remove, List<Group> groups) {

  public record Keep(String backupId, String kind, String source, Instant takenAt, List<String> reasons) {}

  public record Remove(String backupId, String kind, String source, Instant takenAt, String rule) {}

  /** @param schedule the schedule whose policy applies (its newest scheduled backup's), null for the default */
  public record Group(String kind, String source, String schedule, RetentionPolicy policy, String timeZone, int keep,
      int remove) {}
}
