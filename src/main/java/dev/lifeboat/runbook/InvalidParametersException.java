package dev.lifeboat.runbook;

import java.util.List;

/** A run was asked for with parameters its runbook does not accept; nothing was started. */
public class InvalidParametersException extends RuntimeException {

  private final List<String> problems;

  public InvalidParametersException(String runbook, List<String> problems) {
    super("runbook " + runbook + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
