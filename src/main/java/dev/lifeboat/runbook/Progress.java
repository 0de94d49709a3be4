package dev.lifeboat.runbook;

/** How far a long step is: {@code done} of {@code total} units (bytes, keys, steps). */
public record Progress(long done, Long total, String unit, Integer percent) {

  public static Progress of(long done, Long total, String unit) {
    Integer percent = total == null || total <= 0 ? null : (int) Math.min(100, done * 100 / total);
    return new Progress(done, total, unit, percent);
  }
}
