package dev.lifeboat.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import dev.lifeboat.remote.TransferListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The steps of a run share one connection per host; it closes when the run ends, idles, or drops. */
class RunSessionsTest {

  private final List<FakeSession> opened = new ArrayList<>();
  private RunSessions sessions = new RunSessions(Duration.ofMinutes(2), session -> ((FakeSession) session).alive);

  @AfterEach
  void close() {
    sessions.close();
  }

  @Test
  void theStepsOfARunShareOneConnectionThatClosesWhenTheRunEnds() {
    RunSessions.Key key = new RunSessions.Key("run-1", "db1:22", "ssh");
    for (int step = 0; step < 5; step++) {
      try (HostSession host = sessions.lease(key, this::connect)) {
        host.run(Command.of("true"));
      }
    }
    assertThat(opened).hasSize(1);
    assertThat(opened.getFirst().commands).isEqualTo(5);
    assertThat(opened.getFirst().closed).isFalse();
    assertThat(sessions.open()).isEqualTo(1);

    sessions.endRun("run-1");
    assertThat(opened.getFirst().closed).isTrue();
    assertThat(sessions.open()).isZero();
  }

  @Test
  void otherRunsHostsAndCredentialsGetTheirOwnAndEndingOneRunLeavesTheOthersOpen() {
    sessions.lease(new RunSessions.Key("run-1", "db1:22", "ssh"), this::connect).close();
    sessions.lease(new RunSessions.Key("run-1", "db2:22", "ssh"), this::connect).close();
    sessions.lease(new RunSessions.Key("run-1", "db1:22", "other"), this::connect).close();
    sessions.lease(new RunSessions.Key("run-2", "db1:22", "ssh"), this::connect).close();
    assertThat(opened).hasSize(4);

    sessions.endRun("run-1");
    assertThat(opened).extracting(s -> s.closed).containsExactly(true, true, true, false);
  }

  @Test
  void aConnectionInUseWhenTheRunEndsClosesWhenTheStepGivesItBack() {
    HostSession lease = sessions.lease(new RunSessions.Key("run-1", "db1:22", "ssh"), this::connect);
    sessions.endRun("run-1");
    assertThat(opened.getFirst().closed).isFalse();
    lease.close();
    lease.close(); // twice: given back once
    assertThat(opened.getFirst().closed).isTrue();
  }

  @Test
  void aDroppedConnectionIsReplacedAtTheNextLease() {
    RunSessions.Key key = new RunSessions.Key("run-1", "db1:22", "ssh");
    sessions.lease(key, this::connect).close();
    opened.getFirst().alive = false;
    sessions.lease(key, this::connect).close();
    assertThat(opened).hasSize(2);
    assertThat(opened.getFirst().closed).isTrue();
    assertThat(opened.get(1).closed).isFalse();
  }

  @Test
  void anIdleConnectionClosesSoThatARunEndedElsewhereOrWaitingForApprovalKeepsNothingOpen() throws Exception {
    sessions.close();
    sessions = new RunSessions(Duration.ofMillis(50), session -> ((FakeSession) session).alive);
    RunSessions.Key key = new RunSessions.Key("run-1", "db1:22", "ssh");
    HostSession inUse = sessions.lease(key, this::connect);
    Thread.sleep(120);
    sessions.closeIdle();
    assertThat(opened.getFirst().closed).as("leased: not idle").isFalse();
    inUse.close();
    Thread.sleep(120);
    sessions.closeIdle();
    assertThat(opened.getFirst().closed).isTrue();
    assertThat(sessions.open()).isZero();
    sessions.lease(key, this::connect).close();
    assertThat(opened).hasSize(2);
  }

  @Test
  void closingClosesEveryKeptConnection() {
    sessions.lease(new RunSessions.Key("run-1", "db1:22", "ssh"), this::connect).close();
    sessions.lease(new RunSessions.Key("run-2", "db1:22", "ssh"), this::connect).close();
    sessions.close();
    assertThat(opened).allMatch(s -> s.closed);
  }

  private HostSession connect() {
    FakeSession session = new FakeSession();
    opened.add(session);
    return session;
  }

  private static final class FakeSession implements HostSession {
    boolean alive = true;
    boolean closed;
    int commands;

    @Override
    public String where() {
      return "fake";
    }

    @Override
    public CommandResult run(Command command, Duration timeout, OutputListener output) {
      commands++;
      return new CommandResult(command.describe(), 0, "", "", false);
    }

    @Override
    public CommandResult run(Command command) {
      return run(command, Duration.ofSeconds(1), OutputListener.NONE);
    }

    @Override
    public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
        OutputListener stderrLines) {
      return run(command);
    }

    @Override
    public void upload(InputStream content, long size, String path, TransferListener progress) {}

    @Override
    public long download(String path, OutputStream out, TransferListener progress) {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
      alive = false;
    }
  }
}
