package dev.lifeboat.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports of a running step are written at most once a second, and the last one always. */
class StepContextTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
  final List<StepReport> written = new ArrayList<>();
  final List<Runnable> timers = new ArrayList<>();
  final List<Duration> delays = new ArrayList<>();

  StepContext step(StepOutput output) {
    return new StepContext("run-1", written::add, clock, (delay, task) -> {
      delays.add(delay);
      timers.add(task);
    }, output);
  }

  @Test
  void chattyMessagesAndProgressAreWrittenAtMostOnceASecondAndTheLastOneAtTheEnd() {
    StepContext step = step(new StepOutput());
    for (int i = 1; i <= 100; i++) {
      step.message("line " + i);
      step.progress(i, 100L, "bytes");
      clock.advance(Duration.ofMillis(25)); // 100 calls over 2.5 s
    }
    assertThat(written).hasSize(3); // at 0, 1.0 and 2.0 s
    assertThat(written.getFirst().message()).isEqualTo("line 1");
    assertThat(written.get(1).message()).isEqualTo("line 41");
    assertThat(written.get(2).message()).isEqualTo("line 81");
    assertThat(written.get(2).progress().done()).isEqualTo(80); // reported just after the message
    assertThat(timers).hasSize(1); // one pending write at a time (this test never runs it)

    step.finish();
    assertThat(written).hasSize(4);
    assertThat(written.getLast().message()).isEqualTo("line 100");
    assertThat(written.getLast().progress()).isEqualTo(Progress.of(100, 100L, "bytes"));
    assertThat(step.message()).isEqualTo("line 100");

    // The step is over: a late timer or a line from a command still draining changes nothing.
    clock.advance(Duration.ofSeconds(5));
    timers.forEach(Runnable::run);
    step.message("too late");
    step.output("too late");
    assertThat(written).hasSize(4);
  }

  @Test
  void aChangeThatCameTooSoonIsWrittenWhenTheSecondIsOverEvenIfNothingFollows() {
    StepContext step = step(new StepOutput());
    step.message("stopping etcd");
    clock.advance(Duration.ofMillis(300));
    step.message("waiting for etcd to stop");
    assertThat(written).hasSize(1);
    assertThat(delays).containsExactly(Duration.ofMillis(700));

    clock.advance(Duration.ofMillis(700));
    timers.getFirst().run();
    assertThat(written).hasSize(2);
    assertThat(written.getLast().message()).isEqualTo("waiting for etcd to stop");
    assertThat(written.getLast().progress()).isNull(); // unchanged parts are left alone
    assertThat(written.getLast().output()).isNull();

    step.finish();
    assertThat(written).hasSize(2); // nothing left to write
  }

  @Test
  void outputLinesAreKeptWithTheBytesPrinted() {
    StepContext step = step(new StepOutput());
    step.output("2026-11-30 restoring snapshot");
    step.output("members: 1\nrevision: 42\n");
    step.finish();
    StepReport last = written.getLast();
    assertThat(last.output()).isEqualTo("2026-11-30 restoring snapshot\nmembers: 1\nrevision: 42\n");
    assertThat(last.outputBytes()).isEqualTo(last.output().length());
    assertThat(last.message()).isNull(); // output never stands in for the message
  }

  @Test
  void aFailedWriteNeverFailsTheStepAndIsMadeUpForLater() {
    List<StepReport> attempts = new ArrayList<>();
    boolean[] databaseDown = {true};
    StepContext step = new StepContext("run-1", report -> {
      attempts.add(report);
      if (databaseDown[0]) {
        throw new IllegalStateException("connection refused");
      }
    }, clock, (delay, task) -> {}, new StepOutput());
    step.message("first");
    databaseDown[0] = false;
    clock.advance(Duration.ofSeconds(1));
    step.progress(1, 2L, "keys");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getLast().message()).isEqualTo("first");
    assertThat(attempts.getLast().progress().done()).isEqualTo(1);
  }

  @Test
  void anotherAttemptContinuesTheOutputOfTheOnesBefore() {
    StepContext step = step(new StepOutput("connecting\nerror: timeout\n", 27, 2));
    step.message("nothing printed yet");
    step.finish();
    assertThat(written.getLast().output()).isNull(); // the earlier output stays as it is until this attempt prints

    written.clear();
    step = step(new StepOutput("connecting\nerror: timeout\n", 27, 2));
    step.output("connected");
    step.finish();
    assertThat(written.getLast().output()).isEqualTo("connecting\nerror: timeout\n--- attempt 2 ---\nconnected\n");
    assertThat(written.getLast().outputBytes()).isEqualTo(27 + 10);
  }
}
