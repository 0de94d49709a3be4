package dev.lifeboat.runbook;

/** The workflow engine refused or did not answer; the run was recorded as FAILED. */
public class EngineUnavailableException extends RuntimeException {
  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
