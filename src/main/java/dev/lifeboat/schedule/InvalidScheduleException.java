package dev.lifeboat.schedule;

import java.util.List;

/** A schedule that cannot be saved; {@link #problems()} names each field that is wrong. */
public class InvalidScheduleException extends RuntimeException {

  private final List<String> problems;

  public InvalidScheduleException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
