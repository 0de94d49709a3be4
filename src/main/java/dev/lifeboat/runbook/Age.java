package dev.lifeboat.runbook;

import java.time.Duration;
import java.time.Instant;

/** How long ago something happened, as people read it in lists: "just now", "5 min ago", "3 h ago", "4 days ago". */
public final class Age {

  private Age() {}

  public static String since(Instant then, Instant now) {
    if (then == null) {
      return "";
    }
    Duration d = Duration.between(then, now);
    if (d.toMinutes() < 1) {
      return "just now";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + " min ago";
    }
    if (d.toDays() < 2) {
      return d.toHours() + " h ago";
    }
    return d.toDays() + " days ago";
  }
}
