package dev.lifeboat.runbook;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's output through the real database and the API: a chatty command's lines from two
 * threads (stdout and stderr) are written about once a second, kept capped, and read back whole
 * as plain text. Run on H2 ({@code StepOutputIT}) and PostgreSQL ({@code StepOutputPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StepOutputSuite {

  static final String STEP = "Task_CheckCluster";

  LifeboatApp lifeboat;
  String runId;

  abstract Map<String, String> databaseProperties();

  @BeforeAll
  void start(@TempDir Path temp) {
    lifeboat = LifeboatApp.start(temp, databaseProperties());
    // A run whose first step fails fast (nothing listens there): a step row to write the output to.
    runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next()));
    lifeboat.awaitRun(runId, Duration.ofMinutes(2), "FAILED");
  }

  @AfterAll
  void stopLifeboat() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  @Test
  void aChattyStepsOutputIsWrittenAboutOnceASecondAndReadBackCapped() throws Exception {
    RunRepository repository = lifeboat.context().getBean(RunRepository.class);
    AtomicInteger writes = new AtomicInteger();
    StepContext step = new StepContext(runId, report -> {
      writes.incrementAndGet();
      repository.stepReport(runId, STEP, report);
    }, Clock.systemUTC(), StepContext.Timer.VIRTUAL_THREADS, repository.outputSoFar(runId, STEP));
    long started = System.nanoTime();
    int linesPerStream = 25_000;
    List<Thread> streams = new ArrayList<>();
    for (String stream : List.of("out", "err")) {
      streams.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < linesPerStream; i++) {
          step.output(String.format("%s %05d %s", stream, i, "x".repeat(80)));
          if (i % 5000 == 0) {
            step.message(stream + " at line " + i);
            LifeboatApp.sleep(300);
          }
        }
      }));
    }
    for (Thread stream : streams) {
      stream.join();
    }
    step.output("last line\u0000with a NUL, which PostgreSQL would refuse");
    step.message("done: 50,001 lines");
    step.finish();
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(writes.get()).as("writes in %.1f s", seconds).isLessThanOrEqualTo((int) Math.ceil(seconds) + 2);

    Response output = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output?step=" + STEP);
    assertThat(output.status()).as(output.toString()).isEqualTo(200);
    assertThat(output.headers().get("content-type")).containsExactly("text/plain;charset=UTF-8");
    String text = output.body();
    assertThat(text).matches("(?s)(out|err) 00000 x+\n.*");
    assertThat(text).containsPattern("\n\\[\\.\\.\\. [0-9]+ bytes cut \\.\\.\\.\\]\n");
    assertThat(text).endsWith("last line\uFFFDwith a NUL, which PostgreSQL would refuse\n");
    assertThat(StepOutput.utf8Length(text)).isBetween(StepOutput.TAIL_BYTES, StepOutput.HEAD_BYTES + StepOutput.TAIL_BYTES + 100);

    JsonNode run = lifeboat.get(AUDITOR, "/api/runs/" + runId).json();
    JsonNode recorded = null;
    for (JsonNode s : run.get("steps")) {
      if (s.get("elementId").asText().equals(STEP)) {
        recorded = s;
      }
    }
    assertThat(recorded).isNotNull();
    long printed = 2L * linesPerStream * (3 + 1 + 5 + 1 + 80 + 1) + "last line\u0000with a NUL, which PostgreSQL would refuse\n".length();
    assertThat(recorded.get("outputBytes").asLong()).isEqualTo(printed);
    assertThat(recorded.get("message").asText()).isEqualTo("done: 50,001 lines");
  }

  @Test
  void aStepOfACalledModelIsNamedByItsPathUrlEncoded() {
    RunRepository repository = lifeboat.context().getBean(RunRepository.class);
    String stepId = "CallActivity_Restore/Task_Apply";
    repository.stepStarted(runId, stepId, "Apply", Instant.now());
    repository.stepReport(runId, stepId, new StepReport(null, null, "restored\n", 9L));
    Response output = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output?step=CallActivity_Restore%2FTask_Apply");
    assertThat(output.status()).as(output.toString()).isEqualTo(200);
    assertThat(output.body()).isEqualTo("restored\n");

    ProcessModels models = lifeboat.context().getBean(ProcessModels.class);
    assertThat(models.hasStep("etcd-restore", "CallActivity_Restore/Task_RollBack")).isTrue();
    assertThat(models.hasStep("etcd-migration", "CallActivity_RestoreTarget/CallActivity_Restore/Task_Apply")).isTrue();
    assertThat(models.hasStep("etcd-migration", "CallActivity_SnapshotSource/Task_CheckCluster")).isTrue();
    assertThat(models.hasStep("etcd-migration", "CallActivity_RestoreTarget/Task_Apply")).isFalse();
    assertThat(models.hasStep("etcd-restore", "Task_Apply")).isFalse();
  }

  @Test
  void aStepWithoutOutputAnswersEmptyAndAnUnknownStepOrRun404() {
    Response notReached = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output?step=Task_StoreBackup");
    assertThat(notReached.status()).isEqualTo(200);
    assertThat(notReached.body()).isEmpty();
    Response rollback = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output?step=Task_DiscardArchive");
    assertThat(rollback.status()).as("a task off the main path is a step too").isEqualTo(200);

    Response unknown = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output?step=Task_Nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("detail").asText()).contains("has no step 'Task_Nope'").contains(STEP);
    assertThat(lifeboat.get(AUDITOR, "/api/runs/nope/output?step=" + STEP).status()).isEqualTo(404);
    Response missing = lifeboat.get(AUDITOR, "/api/runs/" + runId + "/output");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("detail").asText()).contains("step");
  }
}
