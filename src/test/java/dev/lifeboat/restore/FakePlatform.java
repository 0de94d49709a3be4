package dev.lifeboat.restore;

import static dev.lifeboat.runbook.RunbookParameter.optional;

import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An in-memory platform for the restore skeleton's tests: one {@link Target} per run, holding
 * "old" data until a restore replaces it with "new", and parameters that make any step misbehave.
 * Found by component scanning in test contexts only (it lives in src/test).
 */
@Configuration(proxyBeanMethods = false)
class FakePlatform {

  static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();

  /** The fake target of one run. */
  static final class Target {
    volatile String data;
    volatile String saved;
    volatile boolean running = true;
    volatile boolean startFailed;
    volatile boolean cleanedUp;

    Target(String data) {
      this.data = data;
    }
  }

  record FakeRun(String runId, String failAt, Boolean corrupt, Boolean empty, Boolean skipBackup,
      Boolean breakRollback, Boolean drift) {

    boolean is(Boolean flag) {
      return Boolean.TRUE.equals(flag);
    }

    void failIf(String step) {
      if (step.equals(failAt)) {
        throw new IllegalStateException("injected failure at " + step);
      }
    }
  }

  record FakePlan(boolean hadData, String savedTo) {}

  @Bean
  Runbook fakeRestoreRunbook() {
    return new Runbook("fake-restore", "fake restore", "Test only: the restore skeleton over an in-memory fake.",
        List.of(
            optional("failAt", ParameterType.STRING, null, "check, stop, save, apply, start or verify"),
            optional("corrupt", ParameterType.BOOLEAN, "false", "the artifact fails its checksum"),
            optional("empty", ParameterType.BOOLEAN, "false", "the target holds nothing"),
            optional("skipBackup", ParameterType.BOOLEAN, "false", "delete instead of saving aside"),
            optional("breakRollback", ParameterType.BOOLEAN, "false", "putting the data back fails"),
            optional("drift", ParameterType.BOOLEAN, "false", "the data put back differs"),
            optional("approvalTimeout", ParameterType.DURATION, "PT1H", "approval expiry"),
            optional("reason", ParameterType.STRING, null, "why")),
        List.of("restoredData", "outcome", "outcomeDetail"));
  }

  @Bean
  RestoreTarget<FakeRun, FakePlan> fakeRestoreTarget() {
    return new RestoreTarget<>() {
      @Override
      public String platform() {
        return "fake";
      }

      @Override
      public Checked<FakePlan> check(FakeRun run, StepContext step) {
        Target target = TARGETS.computeIfAbsent(run.runId(), id -> new Target(run.is(run.empty()) ? null : "old"));
        if ("check".equals(run.failAt())) {
          throw RestoreTarget.refused("precondition failed: the fake target is not ready");
        }
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("data", target.data);
        Map<String, Object> replacement = new LinkedHashMap<>();
        replacement.put("data", "new");
        replacement.put("takenAt", Instant.now().minusSeconds(7200).toString());
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("data", target.data);
        step.message("fake target holds " + target.data);
        return new Checked<>(new FakePlan(target.data != null, "aside"), "replace the fake's data", now, replacement,
            before, List.of("fakes forget"), "aside",
            List.of(new PlannedCommand("stop", "fake", "fake stop", true)),
            target.data == null ? "the fake holds nothing" : null);
      }

      @Override
      public Map<String, Object> prepareArtifact(FakeRun run, FakePlan plan, StepContext step) {
        if (run.is(run.corrupt())) {
          throw RestoreTarget.refused("the artifact hashes to 00ff, the catalogue says abcd");
        }
        return Map.of("checksumVerifiedOnHost", "abcd");
      }

      @Override
      public void stop(FakeRun run, FakePlan plan, StepContext step) {
        run.failIf("stop");
        TARGETS.get(run.runId()).running = false;
      }

      @Override
      public void saveAside(FakeRun run, FakePlan plan, StepContext step) {
        run.failIf("save");
        Target target = TARGETS.get(run.runId());
        if (!run.is(run.skipBackup())) {
          target.saved = target.data;
        }
        target.data = null;
      }

      @Override
      public void apply(FakeRun run, FakePlan plan, StepContext step) {
        run.failIf("apply");
        TARGETS.get(run.runId()).data = "new";
      }

      @Override
      public void start(FakeRun run, FakePlan plan, StepContext step) {
        Target target = TARGETS.get(run.runId());
        if ("start".equals(run.failAt()) && !target.startFailed) {
          target.startFailed = true;
          throw new IllegalStateException("injected failure at start");
        }
        target.running = true;
      }

      @Override
      public Map<String, Object> verify(FakeRun run, FakePlan plan, StepContext step) {
        run.failIf("verify");
        return Map.of("restoredData", TARGETS.get(run.runId()).data);
      }

      @Override
      public SavedData savedData(FakeRun run, FakePlan plan) {
        Target target = TARGETS.get(run.runId());
        return !plan.hadData() ? SavedData.WAS_EMPTY : target.saved != null ? SavedData.SAVED_ASIDE : SavedData.GONE;
      }

      @Override
      public void putBack(FakeRun run, FakePlan plan, StepContext step) throws IOException {
        if (run.is(run.breakRollback())) {
          throw new IOException("no space left on the fake device");
        }
        Target target = TARGETS.get(run.runId());
        target.data = run.is(run.drift()) ? "old, but drifted" : target.saved;
        target.saved = null;
      }

      @Override
      public Map<String, Object> inspect(FakeRun run, FakePlan plan) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("data", TARGETS.get(run.runId()).data);
        return facts;
      }

      @Override
      public String describeState(FakeRun run, FakePlan plan, SavedData saved) {
        Target target = TARGETS.get(run.runId());
        return "the fake holds " + target.data + ", " + (target.saved == null ? "nothing" : target.saved)
            + " is aside, it is " + (target.running ? "running" : "stopped");
      }

      @Override
      public void cleanUp(FakeRun run, FakePlan plan, StepContext step) {
        TARGETS.get(run.runId()).cleanedUp = true;
      }
    };
  }
}
