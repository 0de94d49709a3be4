package dev.lifeboat.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.runbook.EngineUnavailableException;
import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import io.camunda.client.CamundaClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Four-eyes approval of destructive steps. The engine's user tasks (job-worker user tasks) become
 * approval tasks here; a person other than the run's initiator, who has not decided on the run
 * before, approves or rejects, and the task's job is completed with the decision.
 */
@Service
public class ApprovalService {

  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);
  private static final int MAX_COMMENT = 2000;

  private final ApprovalRepository repository;
  private final RunService runs;
  private final CamundaClient engine;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ObjectMapper json;

  ApprovalService(ApprovalRepository repository, RunService runs, CamundaClient engine,
      ApplicationEventPublisher events, Clock clock, ObjectMapper json) {
    this.json = json;
    this.repository = repository;
    this.runs = runs;
    this.engine = engine;
    this.events = events;
    this.clock = clock;
  }

  /** Every open task, each flagged with whether {@code username} may decide it. */
  public List<ApprovalTask> openTasks(String username) {
    return repository.open().stream().map(row -> toTask(row, username)).toList();
  }

  public ApprovalTask task(long id, String username) {
    return repository.find(id).map(row -> toTask(row, username)).orElseThrow(() -> new ApprovalTaskNotFoundException(id));
  }

  public List<ApprovalRecord> decisions(String runId) {
    return repository.forRun(runId);
  }

  public ApprovalTask decide(long taskId, String username, Decision decision, String comment) {
    ApprovalRepository.Row row = repository.find(taskId).orElseThrow(() -> new ApprovalTaskNotFoundException(taskId));
    ApprovalRecord task = row.record();
    if (task.status() != ApprovalStatus.OPEN) {
      throw new ApprovalConflictException("task " + taskId + " is already " + task.status()
          + (task.decidedBy() == null ? "" : " by " + task.decidedBy()));
    }
    String reason = notDecidableReason(row, username);
    if (reason != null) {
      throw new ApprovalForbiddenException(reason);
    }
    String text = comment == null ? "" : comment.strip();
    if (decision == Decision.REJECT && text.isEmpty()) {
      throw new InvalidDecisionException("a rejection needs a comment saying why, for the operator and the audit trail");
    }
    if (text.length() > MAX_COMMENT) {
      throw new InvalidDecisionException("the comment is longer than " + MAX_COMMENT + " characters");
    }
    ApprovalStatus status = decision == Decision.APPROVE ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    if (!repository.decide(taskId, status, username, text, clock.instant())) {
      throw new ApprovalConflictException("task " + taskId + " was decided or closed a moment ago; reload the tasks");
    }
    String message = (decision == Decision.APPROVE ? "approved by " : "rejected by ") + username
        + (text.isEmpty() ? "" : ": " + text);
    Map<String, Object> variables = new HashMap<>();
    variables.put("approved", decision == Decision.APPROVE);
    variables.put("approver", username);
    variables.put("approvalComment", text);
    if (decision == Decision.REJECT) {
      variables.put("rejection", message);
    }
    try {
      engine.newCompleteCommand(taskId).variables(variables).send().join();
    } catch (RuntimeException e) {
      repository.reopen(taskId, username);
      throw new EngineUnavailableException("the workflow engine did not take the decision on task " + taskId
          + " (the run may have ended or expired meanwhile): " + e.getMessage(), e);
    }
    log.info("Run {} task {} {} by {}", task.runId(), taskId, status, username);
    runs.approvalResolved(task.runId(), null, row.elementId(), task.name(), message);
    events.publishEvent(new ApprovalDecided(task.runId(), row.runbook(), taskId, task.name(), username, decision, text));
    return toTask(repository.find(taskId).orElseThrow(), username);
  }

  /** A user task of a run was handed to Lifeboat by the engine. */
  void taskCreated(long taskId, String runId, String process, String stepId, String name,
      Map<String, Object> evidence, String approvalTimeout) {
    Instant now = clock.instant();
    Instant expires = expiry(now, approvalTimeout);
    if (repository.insertIfAbsent(taskId, runId, stepId, name, evidence, now, expires)) {
      runs.awaitApproval(runId, process, stepId, name);
      events.publishEvent(new ApprovalRequested(runId, runs.runbookOf(runId), taskId, name, evidence));
    }
  }

  /** The approval's timer fired: nobody decided in time. Returns the message the run ends with. */
  String expire(String runId, String approvalTimeout) {
    String runbook = runs.runbookOf(runId);
    Optional<ApprovalRepository.Row> open = repository.findOpen(runId);
    repository.close(runId, ApprovalStatus.EXPIRED, clock.instant());
    String message = "approval expired: nobody decided within " + approvalTimeout + "; nothing was changed";
    open.ifPresent(row -> {
      runs.approvalResolved(runId, null, row.elementId(), row.record().name(), message);
      events.publishEvent(new ApprovalExpired(runId, runbook, row.record().name(), approvalTimeout));
    });
    return message;
  }

  @EventListener
  void onRunFinished(RunFinished finished) {
    if (finished.status() != RunStatus.COMPLETED) {
      repository.close(finished.runId(), ApprovalStatus.CLOSED, clock.instant());
    }
  }

  private String notDecidableReason(ApprovalRepository.Row row, String username) {
    if (username.equals(row.initiator())) {
      return "you started run " + row.record().runId() + "; four-eyes rule: a different approver must decide";
    }
    if (repository.hasDecided(row.record().runId(), username)) {
      return "you already decided on run " + row.record().runId() + "; four-eyes rule: a different approver must decide";
    }
    return null;
  }

  private ApprovalTask toTask(ApprovalRepository.Row row, String username) {
    String reason = row.record().status() == ApprovalStatus.OPEN
        ? notDecidableReason(row, username)
        : "the task is " + row.record().status();
    ApprovalRecord record = row.record();
    return new ApprovalTask(record.taskId(), record.runId(), row.runbook(), record.name(), row.initiator(),
        record.created(), record.expires(), withAge(row.evidence()), reason == null, reason);
  }

  /** The stored evidence, with how old the replacement is now (from its {@code takenAt}). */
  private Evidence withAge(Map<String, Object> stored) {
    Evidence evidence = json.convertValue(stored, Evidence.class);
    Object takenAt = evidence.replacement() == null ? null : evidence.replacement().get("takenAt");
    if (takenAt == null) {
      return evidence;
    }
    Map<String, Object> replacement = new LinkedHashMap<>();
    try {
      Duration age = Duration.between(Instant.parse(takenAt.toString()), clock.instant());
      evidence.replacement().forEach((name, value) -> {
        replacement.put(name, value);
        if (name.equals("takenAt")) {
          replacement.put("age", age.toHours() >= 48 ? age.toDays() + " days"
              : age.toHours() >= 1 ? age.toHours() + " h " + age.toMinutesPart() + " min"
              : age.toMinutes() + " min " + age.toSecondsPart() + " s");
        }
      });
    } catch (DateTimeParseException ignored) {
      return evidence; // not a time: shown without the age
    }
    return evidence.withReplacement(replacement);
  }

  private static Instant expiry(Instant now, String approvalTimeout) {
    if (approvalTimeout == null) {
      return null;
    }
    try {
      return now.plus(Duration.parse(approvalTimeout));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
