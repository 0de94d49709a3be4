package dev.lifeboat.runbook;

import java.util.Map;

/**
 * An expected outcome that the process model handles (checksum mismatch, failed precondition):
 * thrown by a step, it becomes a BPMN error with this code instead of a retry.
 */
public class StepOutcomeException extends RuntimeException {

  private final String errorCode;
  private final Map<String, Object> variables;

  public StepOutcomeException(String errorCode, String message) {
    this(errorCode, message, Map.of());
  }

  public StepOutcomeException(String errorCode, String message, Map<String, Object> variables) {
    super(message);
    this.errorCode = errorCode;
    this.variables = Map.copyOf(variables);
  }

  public String errorCode() {
    return errorCode;
  }

  public Map<String, Object> variables() {
    return variables;
  }
}
