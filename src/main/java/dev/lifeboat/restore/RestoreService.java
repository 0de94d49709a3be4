package dev.lifeboat.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.approval.Evidence;
import dev.lifeboat.approval.Evidence.Rollback;
import dev.lifeboat.approval.Evidence.Setting;
import dev.lifeboat.restore.RestoreTarget.Checked;
import dev.lifeboat.restore.RestoreTarget.SavedData;
import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookCatalog;
import dev.lifeboat.runbook.RunbookParameter;
import dev.lifeboat.runbook.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.ResolvableType;
import org.springframework.stereotype.Service;

/**
 * The platform-neutral steps of a destructive restore (bpmn/restore/restore-target.bpmn): each
 * finds the run's {@link RestoreTarget} by its {@code platform} variable and calls it, and the
 * parts every platform shares live here: the evidence, the rollback's order and the outcome.
 */
@Service
class RestoreService {

  static final String REFUSED = "RESTORE_REFUSED";
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** The skeleton's own variables; the platform reads the rest as the run type it declares. */
  record Variables(String runId, String initiator, String platform, Boolean skipBackup, String reason, String failure,
      String rejection, Map<String, Object> restorePlan, Map<String, Object> targetBefore, Evidence evidence,
      Boolean dataSavedAside) {

    boolean skipsBackup() {
      return Boolean.TRUE.equals(skipBackup);
    }
  }

  private final Map<String, RestoreTarget<?, ?>> targets;
  private final RunService runs;
  private final RunbookCatalog runbooks;
  private final ObjectMapper json;
  private final ApplicationEventPublisher events;

  RestoreService(List<RestoreTarget<?, ?>> targets, RunService runs, RunbookCatalog runbooks, ObjectMapper json,
      ApplicationEventPublisher events) {
    this.targets = targets.stream().collect(Collectors.toMap(RestoreTarget::platform, Function.identity()));
    targets.forEach(target -> typeArgument(target, 1)); // a target that names no types fails start-up, not a run
    this.runs = runs;
    this.runbooks = runbooks;
    this.json = json;
    this.events = events;
  }

  Map<String, Object> check(Map<String, Object> variables, StepContext step) throws Exception {
    Bound<?, ?> bound = bind(variables);
    return bound.check(step);
  }

  Map<String, Object> prepareArtifact(Map<String, Object> variables, StepContext step) throws Exception {
    return bind(variables).prepareArtifact(step);
  }

  void stop(Map<String, Object> variables, StepContext step) throws Exception {
    bind(variables).stop(step);
  }

  /** Saves the existing data; {@code dataSavedAside} tells a later rollback that it was moved. */
  Map<String, Object> saveAside(Map<String, Object> variables, StepContext step) throws Exception {
    bind(variables).saveAside(step);
    return Map.of("dataSavedAside", true);
  }

  void apply(Map<String, Object> variables, StepContext step) throws Exception {
    bind(variables).apply(step);
  }

  void start(Map<String, Object> variables, StepContext step) throws Exception {
    bind(variables).start(step);
  }

  Map<String, Object> verify(Map<String, Object> variables, StepContext step) throws Exception {
    return bind(variables).verify(step);
  }

  Map<String, Object> rollBack(Map<String, Object> variables, StepContext step) {
    return bind(variables).rollBack(step);
  }

  /** The last step on every way out that did not fail after the stop: removes uploads, records the outcome. */
  Map<String, Object> finish(Map<String, Object> variables, StepContext step) throws Exception {
    Bound<?, ?> bound = bind(variables);
    if (bound.vars.restorePlan() != null) {
      bound.cleanUp(step);
    }
    RestoreOutcome outcome = bound.vars.failure() != null ? RestoreOutcome.REFUSED
        : bound.vars.rejection() != null ? RestoreOutcome.REJECTED : RestoreOutcome.RESTORED_AND_VERIFIED;
    String detail = switch (outcome) {
      case REFUSED -> bound.vars.failure() + "; nothing on the target was changed";
      case REJECTED -> bound.vars.rejection() + "; nothing on the target was changed";
      default -> bound.vars.evidence() != null && bound.vars.evidence().emptyProof() != null
          ? "restored into an empty target without approval (" + bound.vars.evidence().emptyProof() + ") and verified"
          : "restored and verified";
    };
    step.message(detail);
    return bound.outcome(outcome, detail);
  }

  private Bound<?, ?> bind(Map<String, Object> variables) {
    Variables vars = json.convertValue(variables, Variables.class);
    RestoreTarget<?, ?> target = targets.get(vars.platform());
    if (target == null) {
      throw new IllegalStateException("no restore target for platform '" + vars.platform() + "' (known: "
          + String.join(", ", targets.keySet()) + ")");
    }
    return bind(target, variables, vars);
  }

  private <R, P> Bound<R, P> bind(RestoreTarget<R, P> target, Map<String, Object> variables, Variables vars) {
    R run = json.convertValue(variables, RestoreService.<R>typeArgument(target, 0));
    P plan = vars.restorePlan() == null ? null
        : json.convertValue(vars.restorePlan(), RestoreService.<P>typeArgument(target, 1));
    return new Bound<>(target, run, plan, vars);
  }

  /** The run ({@code 0}) or plan ({@code 1}) type an implementation declares for {@code RestoreTarget<R, P>}. */
  @SuppressWarnings("unchecked")
  private static <T> Class<T> typeArgument(RestoreTarget<?, ?> target, int index) {
    Class<?> type = ResolvableType.forClass(target.getClass()).as(RestoreTarget.class).resolveGeneric(index);
    if (type == null) {
      throw new IllegalStateException(target.getClass().getName() + " must name its run and plan types:"
          + " implements RestoreTarget<Run, Plan>");
    }
    return (Class<T>) type;
  }

  /** One step's view: the platform, its typed run and plan, the skeleton's variables. */
  private final class Bound<R, P> {

    final RestoreTarget<R, P> target;
    final R run;
    final P plan;
    final Variables vars;

    Bound(RestoreTarget<R, P> target, R run, P plan, Variables vars) {
      this.target = target;
      this.run = run;
      this.plan = plan;
      this.vars = vars;
    }

    Map<String, Object> check(StepContext step) throws Exception {
      Checked<P> checked = target.check(run, step);
      Evidence evidence = new Evidence(checked.summary(), checked.target(), checked.replacement(),
          checked.warnings() == null ? List.of() : checked.warnings(), rollbackOf(checked),
          checked.commands() == null ? List.of() : checked.commands(), settings(), checked.emptyProof(),
          vars.initiator(), vars.reason());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("restorePlan", json.convertValue(checked.plan(), MAP));
      out.put("targetBefore", checked.before() == null ? Map.of() : checked.before());
      out.put("evidence", evidence);
      out.put("targetEmpty", checked.emptyProof() != null);
      if (checked.emptyProof() != null) {
        out.put("emptyProof", checked.emptyProof());
        step.message("the target holds no data (" + checked.emptyProof() + "): nothing is destroyed, so no"
            + " approval is needed. " + Objects.toString(step.message(), ""));
      }
      return out;
    }

    private Rollback rollbackOf(Checked<P> checked) {
      if (vars.skipsBackup()) {
        return new Rollback(false, null, "skipBackup: the existing data is DELETED without a copy; if a step"
            + " after the stop fails, the target cannot be rolled back");
      }
      if (checked.emptyProof() != null) {
        return new Rollback(true, null, "the target holds no data; if a step after the stop fails, what the"
            + " restore wrote is removed again");
      }
      return new Rollback(true, checked.savedTo(), "the existing data is moved to " + checked.savedTo()
          + "; if a step after the stop fails, it is put back, the target started and checked against the facts above");
    }

    /** Every declared parameter but the reason, with the value this run has and the default it replaces. */
    private List<Setting> settings() {
      Run recorded = runs.get(vars.runId());
      Runbook runbook = runbooks.find(recorded.runbook()).orElse(null);
      List<Setting> settings = new ArrayList<>();
      if (runbook == null) {
        return settings;
      }
      for (RunbookParameter parameter : runbook.parameters()) {
        if (parameter.name().equals("reason")) {
          continue;
        }
        settings.add(new Setting(parameter.name(), parameter.type().name(), recorded.parameters().get(parameter.name()),
            parameter.defaultValue()));
      }
      return settings;
    }

    Map<String, Object> prepareArtifact(StepContext step) throws Exception {
      Map<String, Object> facts = target.prepareArtifact(run, plan, step);
      Map<String, Object> replacement = new LinkedHashMap<>(vars.evidence().replacement());
      replacement.putAll(facts);
      return Map.of("evidence", vars.evidence().withReplacement(replacement));
    }

    void stop(StepContext step) throws Exception {
      target.stop(run, plan, step);
    }

    void saveAside(StepContext step) throws Exception {
      target.saveAside(run, plan, step);
    }

    void apply(StepContext step) throws Exception {
      target.apply(run, plan, step);
    }

    void start(StepContext step) throws Exception {
      target.start(run, plan, step);
    }

    Map<String, Object> verify(StepContext step) throws Exception {
      return target.verify(run, plan, step);
    }

    void cleanUp(StepContext step) throws Exception {
      target.cleanUp(run, plan, step);
    }

    /**
     * After a failure past the stop: puts the saved data back, starts the target and compares it
     * with what the checks saw. Never throws: the outcome says exactly what state the target is in.
     */
    Map<String, Object> rollBack(StepContext step) {
      String cause = vars.failure() == null ? "a step after the stop failed" : vars.failure();
      SavedData saved = null;
      String stage = "finding the saved data";
      try {
        saved = target.savedData(run, plan);
        if (saved != SavedData.WAS_EMPTY && !Boolean.TRUE.equals(vars.dataSavedAside())) {
          saved = SavedData.IN_PLACE; // the failure came before the save step: the data never moved
        } else if (saved != SavedData.WAS_EMPTY && vars.skipsBackup()) {
          saved = SavedData.GONE;
        }
        if (saved == SavedData.GONE) {
          String why = vars.skipsBackup() ? "the existing data was deleted without a copy (skipBackup)"
              : "the saved data is missing";
          return notRolledBack(cause, why, saved, step);
        }
        if (saved == SavedData.SAVED_ASIDE || saved == SavedData.WAS_EMPTY) {
          stage = "stopping the target";
          step.message("rolling back: stopping the target");
          target.stop(run, plan, step);
          stage = "putting the saved data back";
          target.putBack(run, plan, step);
        }
        if (saved != SavedData.WAS_EMPTY) {
          stage = "starting the target";
          target.start(run, plan, step);
        }
        stage = "comparing the target with what it held before";
        Map<String, Object> now = target.inspect(run, plan);
        List<String> differences = differences(vars.targetBefore(), now);
        cleanUpQuietly(step);
        if (differences.isEmpty()) {
          String detail = cause + ". The target was rolled back to its previous data and verified (" + facts(now)
              + ", as before)";
          step.message(detail);
          return failed(RestoreOutcome.ROLLED_BACK_AND_VERIFIED, detail);
        }
        String detail = cause + ". The target was rolled back but differs from before: " + String.join("; ", differences)
            + ". Check it";
        step.message(detail);
        return failed(RestoreOutcome.ROLLED_BACK_NOT_VERIFIED, detail);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return notRolledBack(cause, "the rollback failed while " + stage + ": " + e.getMessage(), saved, step);
      }
    }

    private Map<String, Object> notRolledBack(String cause, String why, SavedData saved, StepContext step) {
      String state;
      try {
        state = target.describeState(run, plan, saved);
      } catch (RuntimeException e) {
        state = "unknown (" + e.getMessage() + "); check the target by hand";
      }
      String detail = cause + ". Not rolled back: " + why + ". State: " + state;
      step.message(detail);
      return failed(RestoreOutcome.NOT_ROLLED_BACK, detail);
    }

    private void cleanUpQuietly(StepContext step) {
      try {
        target.cleanUp(run, plan, step);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private Map<String, Object> failed(RestoreOutcome outcome, String detail) {
      Map<String, Object> out = new LinkedHashMap<>(outcome(outcome, detail));
      out.put("failure", detail);
      return out;
    }

    Map<String, Object> outcome(RestoreOutcome outcome, String detail) {
      Run recorded = runs.get(vars.runId());
      events.publishEvent(new RestoreFinished(vars.runId(), recorded.runbook(), target.platform(), outcome, detail));
      return Map.of("outcome", outcome.name(), "outcomeDetail", detail);
    }
  }

  static List<String> differences(Map<String, Object> before, Map<String, Object> now) {
    List<String> differences = new ArrayList<>();
    if (before == null) {
      return differences;
    }
    before.forEach((name, was) -> {
      Object is = now.get(name);
      if (!String.valueOf(was).equals(String.valueOf(is))) {
        differences.add(name + " is " + is + ", was " + was);
      }
    });
    return differences;
  }

  private static String facts(Map<String, Object> facts) {
    return facts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
