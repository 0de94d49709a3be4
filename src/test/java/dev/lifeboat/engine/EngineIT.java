package dev.lifeboat.engine;

import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineIT {

  @Test
  void embeddedEngineListensOnLoopbackOnly(@TempDir Path temp) throws IOException {
    try (LifeboatApp lifeboat = LifeboatApp.start(temp, Map.of())) {
      int port = Integer.parseInt(lifeboat.context().getEnvironment().getProperty("lifeboat.engine.embedded.port"));
      List<String> listeners = listeningAddresses(port);
      assertThat(listeners).as("sockets listening on engine port " + port).isNotEmpty();
      assertThat(listeners).allMatch(address -> address.equals("127.0.0.1") || address.equals("::1"),
          "loopback address");
    }
  }

  /** Remote mode, pointed at a separately started engine's gateway, runs a runbook end to end. */
  @Test
  void remoteModeRunsAgainstAnEnginesGateway(@TempDir Path temp) {
    int port = FreePorts.next();
    ZeebeTestEngine cluster = EngineFactory.create(port);
    cluster.start();
    try (EtcdProcess etcd = EtcdProcess.startSingle(temp);
        LifeboatApp lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), Map.of(
            "lifeboat.engine.mode", "remote",
            "lifeboat.engine.remote.grpc-address", "http://127.0.0.1:" + port))) {
      assertThat(lifeboat.context().getBeanNamesForType(EmbeddedEngine.class)).isEmpty();
      Etcdctl.put(etcd.clientEndpoints(), "/remote/a", "1");
      String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
      JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      assertThat(run.get("processInstanceKey").asLong()).isPositive();
    } finally {
      cluster.stop();
    }
  }

  /** Local addresses of sockets in LISTEN state on the port, read from /proc/net/tcp{,6}. */
  private static List<String> listeningAddresses(int port) throws IOException {
    List<String> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String[] local = fields[1].split(":");
        if (Integer.parseInt(local[1], 16) == port && fields[3].equals("0A")) {
          addresses.add(decode(local[0]));
        }
      }
    }
    return addresses;
  }

  private static String decode(String hex) {
    if (hex.length() == 8) {
      long value = Long.parseLong(hex, 16);
      return (value & 0xff) + "." + ((value >> 8) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 24) & 0xff);
    }
    if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped, ::ffff:a.b.c.d
      return decode(hex.substring(24));
    }
    if (hex.equals("00000000000000000000000001000000")) {
      return "::1";
    }
    if (hex.equals("0".repeat(32))) {
      return "::";
    }
    return hex;
  }
}
