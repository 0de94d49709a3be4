package dev.lifeboat.audit;

import static dev.lifeboat.audit.AuditDetails.of;

import dev.lifeboat.schedule.BackupStale;
import dev.lifeboat.schedule.ScheduleChanged;
import dev.lifeboat.schedule.ScheduleSlotMissed;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records what happens to schedules: changes by people, slots that did not run, stale sources. */
@Component
class ScheduleEventsAudit {

  private final AuditTrail trail;

  ScheduleEventsAudit(AuditTrail trail) {
    this.trail = trail;
  }

  @EventListener
  void on(ScheduleChanged e) {
    AuditAction action = switch (e.change()) {
      case "created" -> AuditAction.SCHEDULE_CREATED;
      case "paused" -> AuditAction.SCHEDULE_PAUSED;
      case "resumed" -> AuditAction.SCHEDULE_RESUMED;
      case "deleted" -> AuditAction.SCHEDULE_DELETED;
      default -> AuditAction.SCHEDULE_CHANGED;
    };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("schedule", e.schedule());
    details.putAll(e.details());
    trail.append(AuditEntry.of(action, e.actor(), details));
  }

  @EventListener
  void on(ScheduleSlotMissed e) {
    trail.append(new AuditEntry(AuditAction.SCHEDULE_MISSED, "lifeboat", null, null, e.runbook(),
        of("schedule", e.schedule(), "slot", e.slotAt().toString(), "status", e.status(), "reason", e.reason())));
  }

  @EventListener
  void on(BackupStale e) {
    trail.append(AuditEntry.of(AuditAction.BACKUP_STALE, "lifeboat",
        of("kind", e.kind(), "source", e.source(), "schedule", e.schedule(),
            "lastSuccess", e.lastSuccess() == null ? null : e.lastSuccess().toString(),
            "expectedInterval", e.expectedInterval() == null ? null : e.expectedInterval().toString())));
  }
}
