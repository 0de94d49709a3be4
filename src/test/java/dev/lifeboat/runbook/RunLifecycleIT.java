package dev.lifeboat.runbook;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded engine forgets on restart; Lifeboat's own record must not leave a run RUNNING. */
class RunLifecycleIT {

  @Test
  void runActiveAtRestartBecomesInterrupted(@TempDir Path temp) throws Exception {
    // An "etcd" that accepts connections and never answers keeps the first step busy.
    List<Socket> held = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(blackhole.accept());
          }
        } catch (Exception closed) {
          // the test is over
        }
      });
      Map<String, String> slow = Map.of("lifeboat.etcd.request-timeout", "PT60S");
      String runId;
      try (LifeboatApp first = LifeboatApp.start(temp, slow)) {
        runId = first.startRun(OPERATOR, "etcd-snapshot",
            Map.of("endpoints", "http://127.0.0.1:" + blackhole.getLocalPort()));
        awaitStepRunning(first, runId);
      }
      try (LifeboatApp second = LifeboatApp.start(temp, slow)) {
        JsonNode run = second.get(ADMIN, "/api/runs/" + runId).json();
        assertThat(run.get("status").asText()).isEqualTo("INTERRUPTED");
        assertThat(run.get("message").asText()).contains("restarted");
        assertThat(run.get("finishedAt")).isNotNull();
      }
      acceptor.interrupt();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void cancelEndsARunningRunAndItCannotBeCanceledTwice(@TempDir Path temp) throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LifeboatApp lifeboat = LifeboatApp.start(temp, Map.of("lifeboat.etcd.request-timeout", "PT60S"))) {
      String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot",
          Map.of("endpoints", "http://127.0.0.1:" + blackhole.getLocalPort()));
      awaitStepRunning(lifeboat, runId);
      var canceled = lifeboat.post(OPERATOR, "/api/runs/" + runId + "/cancel", Map.of());
      assertThat(canceled.status()).isEqualTo(200);
      assertThat(canceled.json().get("status").asText()).isEqualTo("CANCELED");
      assertThat(canceled.json().get("message").asText()).contains(OPERATOR);
      var again = lifeboat.post(OPERATOR, "/api/runs/" + runId + "/cancel", Map.of());
      assertThat(again.status()).isEqualTo(409);
      assertThat(lifeboat.get(ADMIN, "/api/runs?status=CANCELED").json().findValuesAsText("id")).contains(runId);
    }
  }

  private static void awaitStepRunning(LifeboatApp app, String runId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      JsonNode run = app.get(ADMIN, "/api/runs/" + runId).json();
      for (JsonNode step : run.get("steps")) {
        if (step.get("status").asText().equals("RUNNING")) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the first step of run " + runId + " never started");
  }
}
