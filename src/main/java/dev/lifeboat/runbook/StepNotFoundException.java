package dev.lifeboat.runbook;

import java.util.List;

public class StepNotFoundException extends RuntimeException {
  public StepNotFoundException(String runId, String elementId, List<String> steps) {
    super("run " + runId + " has no step '" + elementId + "'; its steps are " + String.join(", ", steps));
  }
}
