package dev.lifeboat.notify;

import dev.lifeboat.approval.ApprovalRequested;
import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.runbook.RunStatus;
import dev.lifeboat.schedule.BackupStale;
import dev.lifeboat.schedule.ScheduleSlotMissed;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns events into notifications, after the transaction that recorded them commits (or at once
 * when there is none); {@link Deliveries} sends them without ever blocking the run.
 */
@Component
class Notifier {

  private final Deliveries deliveries;
  private final NotificationProperties properties;
  private final Clock clock;

  Notifier(Deliveries deliveries, NotificationProperties properties, Clock clock) {
    this.deliveries = deliveries;
    this.properties = properties;
    this.clock = clock;
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(ApprovalRequested e) {
    deliveries.send(new Notification("Approval needed: run " + e.runId() + " of " + e.runbook() + " waits at '"
        + e.taskName() + "'. " + link("/tasks"), "approval.requested", e.runId(), e.runbook(), null, null, null,
        links(e.runId(), "/tasks"), clock.instant()));
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(RunFinished e) {
    if (e.status() != RunStatus.FAILED) {
      return;
    }
    deliveries.send(new Notification("Run failed: " + e.runbook() + " run " + e.runId() + ": "
        + (e.message() == null ? "(no message)" : e.message()) + " " + link("/runs/" + e.runId()), "run.failed",
        e.runId(), e.runbook(), null, null, null, links(e.runId(), null), clock.instant()));
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(ScheduleSlotMissed e) {
    deliveries.send(new Notification("Schedule " + e.schedule() + ": the slot at " + e.slotAt() + " did not run ("
        + e.status().toLowerCase() + "): " + e.reason() + " " + link("/schedules"), "schedule.missed", null,
        e.runbook(), null, null, e.schedule(), Map.of("schedules", link("/schedules")), clock.instant()));
  }

  @TransactionalEventListener(fallbackExecution = true)
  void on(BackupStale e) {
    deliveries.send(new Notification("Stale backups: " + e.kind() + " of " + e.source() + " has had no new backup since "
        + e.lastSuccess() + " (schedule " + e.schedule() + " expects one every " + e.expectedInterval() + "). "
        + link("/"), "backup.stale", null, null, e.kind(), e.source(), e.schedule(), Map.of("overview", link("/")),
        clock.instant()));
  }

  private Map<String, String> links(String runId, String extra) {
    Map<String, String> links = new LinkedHashMap<>();
    if (runId != null) {
      links.put("run", link("/runs/" + runId));
    }
    if (extra != null) {
      links.put("tasks", link(extra));
    }
    return links;
  }

  private String link(String path) {
    String base = properties.baseUrl().endsWith("/") ? properties.baseUrl().substring(0, properties.baseUrl().length() - 1)
        : properties.baseUrl();
    return base + path;
  }
}
