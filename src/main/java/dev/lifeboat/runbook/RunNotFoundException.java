package dev.lifeboat.runbook;

public class RunNotFoundException extends RuntimeException {
  public RunNotFoundException(String id) {
    super("no run with id " + id + " (GET /api/runs lists them)");
  }
}
