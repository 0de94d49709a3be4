package dev.lifeboat.runbook;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs the body of a job worker as a step of a run: records it as it starts, finishes or fails,
 * completes the job with the body's variables, turns {@link StepOutcomeException} into a BPMN error,
 * and retries other failures with backoff until the task's retries are spent, when the run ends
 * FAILED with the cause. Workers stay thin: they read their variables and call one service.
 */
@Component
public class StepRunner {

  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  /**
   * Task header that makes a step's final failure a BPMN error {@value #STEP_FAILED} for the model
   * to catch (e.g. to roll back), instead of ending the run FAILED.
   */
  public static final String ON_FAILURE_HEADER = "lifeboat.on-failure";
  public static final String ON_FAILURE_ERROR = "error";
  public static final String STEP_FAILED = "STEP_FAILED";
  /** Process variable each call activity extends with its own id: where a called model's steps belong. */
  public static final String STEP_PATH = "stepPath";

  @FunctionalInterface
  public interface StepBody {
    Map<String, Object> execute(StepContext context) throws Exception;
  }

  private final CamundaClient engine;
  private final RunRepository repository;
  private final RunService runs;
  private final RunbookCatalog runbooks;
  private final ProcessModels models;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final Duration retryBackoff;

  StepRunner(CamundaClient engine, RunRepository repository, RunService runs, RunbookCatalog runbooks,
      ProcessModels models, ApplicationEventPublisher events, Clock clock, RunbookProperties properties) {
    this.engine = engine;
    this.repository = repository;
    this.runs = runs;
    this.runbooks = runbooks;
    this.models = models;
    this.events = events;
    this.clock = clock;
    this.retryBackoff = properties.retryBackoff();
  }

  public void run(ActivatedJob job, StepBody body) {
    String runId = runId(job);
    if (runId == null) {
      engine.newFailCommand(job).retries(0).errorMessage("job has no runId variable: not started by Lifeboat").send();
      return;
    }
    String stepName = models.model(job.getBpmnProcessId()).taskName(job.getElementId());
    String stepId = stepId(job);
    String runbook = runbookOf(runId, job);
    repository.stepStarted(runId, stepId, stepName, clock.instant());
    events.publishEvent(new StepStarted(runId, runbook, job.getBpmnProcessId(), stepId, stepName));
    StepContext context = new StepContext(runId, report -> repository.stepReport(runId, stepId, report), clock,
        StepContext.Timer.VIRTUAL_THREADS, repository.outputSoFar(runId, stepId));
    try {
      Map<String, Object> variables = body.execute(context);
      context.finish();
      Map<String, Object> out = variables == null ? Map.of() : variables;
      // Recorded first: once the job is complete the process may end, and the run read COMPLETED
      // while its last step still said RUNNING (or lacked its outputs). If completing fails, the
      // engine hands the job out again and the step starts over as RUNNING.
      recordOutputs(runId, out);
      repository.stepFinished(runId, stepId, StepStatus.COMPLETED, context.message(), clock.instant());
      repository.stepVariables(runId, stepId, out);
      events.publishEvent(new StepFinished(runId, runbook, job.getBpmnProcessId(), stepId, stepName,
          StepStatus.COMPLETED, context.message()));
      engine.newCompleteCommand(job).variables(out).send().join();
    } catch (StepOutcomeException outcome) {
      context.finish();
      stepFailed(job, runId, runbook, stepName, outcome.getMessage());
      throwError(job, stepName, outcome.errorCode(), outcome.getMessage(), outcome.variables());
    } catch (Exception | LinkageError e) {
      context.finish();
      fail(job, runId, runbook, stepName, e);
    }
  }

  /**
   * A step's id within its run: the element id, behind the call activities that led to it
   * ({@code stepPath}, set by each call activity), so a model called twice never collides.
   */
  public static String stepId(ActivatedJob job) {
    Object path = job.getVariablesAsMap().get(STEP_PATH);
    return path == null ? job.getElementId() : path + job.getElementId();
  }

  /** The runbook the run started, whichever process (called or not) the job belongs to. */
  private String runbookOf(String runId, ActivatedJob job) {
    return repository.findWithoutSteps(runId).map(Run::runbook).orElse(job.getBpmnProcessId());
  }

  private void fail(ActivatedJob job, String runId, String runbook, String stepName, Throwable e) {
    String cause = describe(e);
    int retriesLeft = Math.max(0, job.getRetries() - 1);
    if (retriesLeft > 0) {
      Duration backoff = retryBackoff.multipliedBy(1L << Math.min(4, Math.max(0, 2 - retriesLeft)));
      log.warn("Run {} step {} failed, {} retries left, next in {}: {}", runId, stepName, retriesLeft, backoff, cause);
      repository.stepMessage(runId, stepId(job),
          "attempt failed (" + retriesLeft + " retries left, next in " + backoff.toSeconds() + " s): " + cause);
      engine.newFailCommand(job).retries(retriesLeft).retryBackoff(backoff).errorMessage(cause).send().join();
      return;
    }
    log.warn("Run {} step {} failed, no retries left: {}", runId, stepName, cause);
    stepFailed(job, runId, runbook, stepName, cause);
    if (ON_FAILURE_ERROR.equals(job.getCustomHeaders().get(ON_FAILURE_HEADER))) {
      // The model handles this step's failure itself (a rollback after a destructive step).
      throwError(job, stepName, STEP_FAILED, cause, Map.of());
      return;
    }
    runs.finish(runId, RunStatus.FAILED, stepName + " failed: " + cause);
    // The run is over as far as Lifeboat is concerned; do not leave an incident behind in the engine.
    try {
      engine.newFailCommand(job).retries(0).errorMessage(cause).send().join();
      Long root = repository.findWithoutSteps(runId).map(Run::processInstanceKey).orElse(null);
      engine.newCancelInstanceCommand(root != null ? root : job.getProcessInstanceKey()).send().join();
    } catch (RuntimeException ignored) {
      log.debug("instance of run {} already gone", runId);
    }
  }

  private void stepFailed(ActivatedJob job, String runId, String runbook, String stepName, String message) {
    repository.stepFinished(runId, stepId(job), StepStatus.FAILED, message, clock.instant());
    events.publishEvent(new StepFinished(runId, runbook, job.getBpmnProcessId(), stepId(job), stepName,
        StepStatus.FAILED, message));
  }

  /** A BPMN error for the model to catch; {@code failure} carries the reason to the end of the run. */
  private void throwError(ActivatedJob job, String stepName, String code, String message,
      Map<String, Object> variables) {
    Map<String, Object> all = new HashMap<>(variables);
    all.put("failure", stepName + ": " + message);
    engine.newThrowErrorCommand(job).errorCode(code).errorMessage(message).variables(all).send().join();
  }

  private void recordOutputs(String runId, Map<String, Object> variables) {
    if (variables.isEmpty()) {
      return;
    }
    repository.findWithoutSteps(runId).flatMap(run -> runbooks.find(run.runbook())).ifPresent(runbook -> {
      Map<String, Object> outputs = new HashMap<>();
      for (String name : runbook.outputs()) {
        if (variables.containsKey(name)) {
          outputs.put(name, variables.get(name));
        }
      }
      if (!outputs.isEmpty()) {
        repository.addOutputs(runId, outputs);
      }
    });
  }

  static String runId(ActivatedJob job) {
    Object value = job.getVariablesAsMap().get(RunService.RUN_ID);
    return value == null ? null : value.toString();
  }

  /** The message a person reads: the cause chain's messages, without stack traces. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    Throwable current = e;
    int depth = 0;
    while (current != null && depth++ < 4) {
      String message = current.getMessage();
      if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
        if (!text.isEmpty()) {
          text.append(": ");
        }
        text.append(message);
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    return text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
  }
}
