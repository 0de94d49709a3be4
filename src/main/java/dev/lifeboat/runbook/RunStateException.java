package dev.lifeboat.runbook;

/** The run is not in a state that allows what was asked (e.g. cancelling a finished run). */
public class RunStateException extends RuntimeException {
  public RunStateException(String message) {
    super(message);
  }
}
