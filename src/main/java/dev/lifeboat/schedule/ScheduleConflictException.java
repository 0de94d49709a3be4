package dev.lifeboat.schedule;

public class ScheduleConflictException extends RuntimeException {
  public ScheduleConflictException(String message) {
    super(message);
  }
}
