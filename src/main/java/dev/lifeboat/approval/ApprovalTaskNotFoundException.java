package dev.lifeboat.approval;

public class ApprovalTaskNotFoundException extends RuntimeException {

  public ApprovalTaskNotFoundException(long id) {
    super("no approval task " + id + " (GET /api/tasks lists the open ones)");
  }
}
