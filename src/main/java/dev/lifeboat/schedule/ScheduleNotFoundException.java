package dev.lifeboat.schedule;

public class ScheduleNotFoundException extends RuntimeException {
  public ScheduleNotFoundException(String id) {
    super("no schedule " + id + " (GET /api/schedules lists them)");
  }
}
