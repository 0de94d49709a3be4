package dev.lifeboat.runbook;

import dev.lifeboat.runbook.ProcessModels.ProcessModel;
import dev.lifeboat.runbook.ProcessModels.Task;
import dev.lifeboat.runbook.ProcessModels.TaskKind;
import io.camunda.client.CamundaClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Starts, cancels and reports runs; the engine executes them, this records them. */
@Service
public class RunService {

  private static final Logger log = LoggerFactory.getLogger(RunService.class);

  /** Process variable that ties every job of an engine instance to its run. */
  public static final String RUN_ID = "runId";
  /** Process variable naming who started the run; approvals compare against it. */
  public static final String INITIATOR = "initiator";

  /** Step path of the called instance a resumed run goes straight to the approval in (see ResumePoint). */
  public static final String RESUME_AT = "resumeAt";

  /** Variables that say how an earlier attempt ended; a resumed run starts without them. */
  private static final List<String> OUTCOME_VARIABLES =
      List.of("failure", "rejection", "approved", "approver", "approvalComment", "dataSavedAside", "outcome",
          "outcomeDetail", RESUME_AT);

  private final RunbookCatalog runbooks;
  private final ParameterValidator validator;
  private final RunRepository repository;
  private final ProcessModels models;
  private final CamundaClient engine;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  RunService(RunbookCatalog runbooks, ParameterValidator validator, RunRepository repository,
      ProcessModels models, CamundaClient engine, ApplicationEventPublisher events, Clock clock) {
    this.runbooks = runbooks;
    this.validator = validator;
    this.repository = repository;
    this.models = models;
    this.engine = engine;
    this.events = events;
    this.clock = clock;
  }

  public Run start(String runbookId, Map<String, ?> parameters, String initiator) {
    Runbook runbook = runbooks.find(runbookId)
        .orElseThrow(() -> new InvalidParametersException(runbookId,
            List.of("unknown runbook '" + runbookId + "' (GET /api/runbooks lists them)")));
    Map<String, Object> values = validator.validate(runbook, parameters);
    String id = UUID.randomUUID().toString();
    repository.insert(id, runbook.id(), initiator, values, clock.instant());
    // Before the engine starts it: its first step may begin before create-instance returns.
    events.publishEvent(new RunStarted(id, runbook.id(), initiator, values));
    Map<String, Object> variables = new HashMap<>(values);
    variables.put(RUN_ID, id);
    variables.put(INITIATOR, initiator);
    try {
      long key = engine.newCreateInstanceCommand()
          .bpmnProcessId(runbook.id())
          .latestVersion()
          .variables(variables)
          .send()
          .join()
          .getProcessInstanceKey();
      repository.setProcessInstance(id, key);
    } catch (RuntimeException e) {
      finish(id, RunStatus.FAILED, "the workflow engine did not start the run: " + e.getMessage());
      throw new EngineUnavailableException("the workflow engine did not start the run: " + e.getMessage(), e);
    }
    log.info("Run {} of {} started by {}", id, runbook.id(), initiator);
    return get(id);
  }

  public Run cancel(String id, String actor) {
    Run run = repository.findWithoutSteps(id).orElseThrow(() -> new RunNotFoundException(id));
    if (!run.status().isActive()) {
      throw new RunStateException("run " + id + " is " + run.status() + "; only a running or waiting run can be canceled");
    }
    if (run.processInstanceKey() != null) {
      try {
        engine.newCancelInstanceCommand(run.processInstanceKey()).send().join();
      } catch (RuntimeException e) {
        // The instance may already be gone (finished a moment ago, or forgotten by a restart).
        log.info("Cancelling engine instance of run {}: {}", id, e.getMessage());
      }
    }
    events.publishEvent(new RunCanceled(id, run.runbook(), actor));
    finish(id, RunStatus.CANCELED, "canceled by " + actor);
    return get(id);
  }

  public Run get(String id) {
    Run run = repository.find(id).orElseThrow(() -> new RunNotFoundException(id));
    return withPendingSteps(run);
  }

  /**
   * The command output a step of the run printed, as kept (capped, see {@link StepOutput}); "" if
   * it printed nothing or has not run. {@code stepId} as the run's steps list it (a called model's
   * behind the call activity's path).
   */
  public String stepOutput(String runId, String stepId) {
    return repository.stepOutput(runId, stepId).orElseGet(() -> {
      Run run = repository.findWithoutSteps(runId).orElseThrow(() -> new RunNotFoundException(runId));
      if (!models.hasStep(run.runbook(), stepId)) {
        throw new StepNotFoundException(runId, stepId, models.steps(run.runbook()).stream().map(Task::elementId).toList());
      }
      return "";
    });
  }

  public List<Run> list(String runbook, RunStatus status, int limit, int offset) {
    return repository.list(runbook, status, limit, offset);
  }

  /** Records a final status once; later calls for the same run change nothing. */
  public boolean finish(String id, RunStatus status, String message) {
    boolean changed = repository.transition(id, status, message, clock.instant());
    if (changed) {
      log.info("Run {} ended {}{}", id, status, message == null ? "" : ": " + message);
      repository.findWithoutSteps(id).ifPresent(run -> events.publishEvent(new RunFinished(id, run.runbook(), status, message)));
    }
    return changed;
  }

  /**
   * Called at start-up with the embedded engine: whatever was running is gone from the engine.
   * One run at a time, so that each publishes {@link RunFinished} (the audit trail records it).
   */
  public int interruptAll(String reason) {
    int interrupted = 0;
    for (String id : repository.activeIds()) {
      if (finish(id, RunStatus.INTERRUPTED, reason)) {
        interrupted++;
      }
    }
    return interrupted;
  }

  /**
   * Continues a FAILED or INTERRUPTED run in a new engine instance, from the first activity of the
   * run's path that did not complete, with the variables recorded so far. A destructive part never
   * resumes past an approval: the run goes back to the last approval before it, for a fresh one.
   */
  public Run resume(String id, String actor) {
    Run run = repository.find(id).orElseThrow(() -> new RunNotFoundException(id));
    if (run.status() != RunStatus.FAILED && run.status() != RunStatus.INTERRUPTED) {
      throw new RunStateException("run " + id + " is " + run.status() + "; only a FAILED or INTERRUPTED run can be resumed");
    }
    ProcessModel model = models.model(run.runbook());
    ResumePoint point = resumePoint(model, run.steps());
    String from = point.elementId();
    Map<String, Object> variables = new HashMap<>(repository.recordedVariables(id));
    OUTCOME_VARIABLES.forEach(variables::remove);
    variables.put(RUN_ID, id);
    variables.put(INITIATOR, run.initiator());
    if (point.resumeAt() != null) {
      variables.put(RESUME_AT, point.resumeAt());
    }
    String fromName = point.stepName();
    if (!repository.reopen(id, "resumed by " + actor + " from '" + fromName + "'")) {
      throw new RunStateException("run " + id + " changed while resuming it; reload it");
    }
    try {
      long key = engine.newCreateInstanceCommand()
          .bpmnProcessId(run.runbook())
          .latestVersion()
          .variables(variables)
          .startBeforeElement(from)
          .send()
          .join()
          .getProcessInstanceKey();
      repository.setProcessInstance(id, key);
    } catch (RuntimeException e) {
      finish(id, RunStatus.FAILED, "the workflow engine did not resume the run: " + e.getMessage());
      throw new EngineUnavailableException("the workflow engine did not resume the run: " + e.getMessage(), e);
    }
    log.info("Run {} of {} resumed by {} from {}", id, run.runbook(), actor, from);
    events.publishEvent(new RunResumed(id, run.runbook(), actor, fromName));
    return get(id);
  }

  /**
   * Where a resumed run starts: {@code elementId} on the run's own model and, when that is a call
   * whose called steps got as far as an approval, {@code resumeAt}: the step path of the called
   * instance that goes straight to its approval (the restore skeleton's Gateway_Resumed reads it).
   */
  record ResumePoint(String elementId, String resumeAt, String stepName) {}

  private ResumePoint resumePoint(ProcessModel model, List<Step> recorded) {
    Set<String> completed = new HashSet<>();
    recorded.stream().filter(step -> step.status() == StepStatus.COMPLETED).forEach(step -> completed.add(step.elementId()));
    String lastApproval = null;
    for (String elementId : model.rootPath()) {
      List<Task> steps = models.stepsOf(model.processId(), elementId);
      boolean done = steps.stream().allMatch(step -> completed.contains(step.elementId()));
      if (!done) {
        Task task = model.tasks().get(elementId);
        if (task.kind() == TaskKind.CALL) {
          return resumeInCall(elementId, steps, completed, task.name());
        }
        boolean destructive = task.kind() != TaskKind.APPROVAL && lastApproval != null;
        String from = destructive ? lastApproval : elementId;
        return new ResumePoint(from, null, model.taskName(from));
      }
      if (model.tasks().get(elementId).kind() == TaskKind.APPROVAL) {
        lastApproval = elementId;
      }
    }
    throw new RunStateException("every step of run has completed; there is nothing to resume");
  }

  /** Inside a call: at its approval when the steps got that far (never past it), else from its start. */
  private static ResumePoint resumeInCall(String callId, List<Task> steps, Set<String> completed, String callName) {
    Task lastApproval = null;
    for (Task step : steps) {
      if (!completed.contains(step.elementId())) {
        Task at = step.kind() == TaskKind.APPROVAL ? step : lastApproval;
        if (at == null) {
          return new ResumePoint(callId, null, callName);
        }
        String path = at.elementId().substring(0, at.elementId().length() - at.localId().length());
        return new ResumePoint(callId, path, at.name());
      }
      if (step.kind() == TaskKind.APPROVAL) {
        lastApproval = step;
      }
    }
    return new ResumePoint(callId, null, callName);
  }

  /** The runbook a run started (the called processes of a run all belong to it). */
  public String runbookOf(String runId) {
    return repository.findWithoutSteps(runId).map(Run::runbook).orElseThrow(() -> new RunNotFoundException(runId));
  }

  /** A step waits for a person: the run shows WAITING_FOR_APPROVAL until {@link #approvalResolved}. */
  public void awaitApproval(String runId, String process, String stepId, String name) {
    repository.stepStarted(runId, stepId, name, clock.instant());
    repository.stepFinished(runId, stepId, StepStatus.WAITING, "waiting for a second person to approve", clock.instant());
    repository.transition(runId, RunStatus.WAITING_FOR_APPROVAL, null, clock.instant());
    events.publishEvent(new StepStarted(runId, runbookOf(runId), process, stepId, name));
  }

  /** The person decided (or the time ran out): the step is done and the run goes on, or ends REJECTED next. */
  public void approvalResolved(String runId, String process, String stepId, String name, String message) {
    repository.stepFinished(runId, stepId, StepStatus.COMPLETED, message, clock.instant());
    repository.transition(runId, RunStatus.RUNNING, null, clock.instant());
    events.publishEvent(new StepFinished(runId, runbookOf(runId), process, stepId, name, StepStatus.COMPLETED,
        message));
  }

  private Run withPendingSteps(Run run) {
    if (!run.status().isActive()) {
      return run;
    }
    Set<String> recorded = new HashSet<>();
    run.steps().forEach(step -> recorded.add(step.elementId()));
    List<Step> steps = new ArrayList<>(run.steps());
    for (Task task : models.steps(run.runbook())) {
      if (!recorded.contains(task.elementId())) {
        steps.add(new Step(task.elementId(), task.name(), StepStatus.PENDING, null, null, null, 0, null, null));
      }
    }
    return new Run(run.id(), run.runbook(), run.status(), run.initiator(), run.parameters(), run.outputs(),
        run.message(), run.processInstanceKey(), run.createdAt(), run.finishedAt(), steps);
  }
}
