package dev.lifeboat.juju;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Helpers of the Juju ITs. */
final class JujuTestSupport {

  private JujuTestSupport() {}

  static String sha256(Path file) throws IOException {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The run's open approval task as an approver sees it; fails if the run ends first. */
  static JsonNode awaitTask(LifeboatApp lifeboat, String runId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode task : lifeboat.get(APPROVER, "/api/tasks").json()) {
        if (runId.equals(task.get("runId").asText())) {
          return task;
        }
      }
      JsonNode run = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
      if (!List.of("RUNNING", "WAITING_FOR_APPROVAL").contains(run.get("status").asText())) {
        throw new AssertionError("run ended before its approval: " + run);
      }
      LifeboatApp.sleep(200);
    }
    throw new AssertionError("no approval task for run " + runId);
  }
}
