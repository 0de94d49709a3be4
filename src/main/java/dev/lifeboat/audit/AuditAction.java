package dev.lifeboat.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an audit event records; {@link #id()} is the stable dotted name stored and shown. */
public enum AuditAction {
  LOGIN_SUCCEEDED("login.succeeded"),
  LOGIN_FAILED("login.failed"),
  LOGIN_LOCKED("login.locked"),
  LOGIN_UNLOCKED("login.unlocked"),
  LOGIN_THROTTLED("login.throttled"),
  RUN_STARTED("run.started"),
  RUN_CANCELED("run.canceled"),
  RUN_RESUMED("run.resumed"),
  RUN_FINISHED("run.finished"),
  STEP_STARTED("step.started"),
  STEP_FINISHED("step.finished"),
  STEP_FAILED("step.failed"),
  APPROVAL_REQUESTED("approval.requested"),
  APPROVAL_DECIDED("approval.decided"),
  APPROVAL_EXPIRED("approval.expired"),
  RESTORE_FINISHED("restore.finished"),
  BACKUP_CREATED("backup.created"),
  BACKUP_UPLOADED("backup.uploaded"),
  BACKUP_DOWNLOADED("backup.downloaded"),
  BACKUP_DELETED("backup.deleted"),
  BACKUP_PARTS_REMOVED("backup.parts-removed"),
  BACKUP_VERIFIED("backup.verified"),
  BACKUP_STALE("backup.stale"),
  SCHEDULE_CREATED("schedule.created"),
  SCHEDULE_CHANGED("schedule.changed"),
  SCHEDULE_PAUSED("schedule.paused"),
  SCHEDULE_RESUMED("schedule.resumed"),
  SCHEDULE_DELETED("schedule.deleted"),
  SCHEDULE_MISSED("schedule.missed"),
  USERS_CHANGED("users.changed");

  private final String id;

  AuditAction(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<AuditAction> fromId(String id) {
    return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(AuditAction::id).toList();
  }
}
