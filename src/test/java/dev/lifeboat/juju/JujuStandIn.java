package dev.lifeboat.juju;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stand-in {@code juju} client (src/test/resources/juju/juju, Python 3) installed in a
 * directory of its own: {@code bin/juju} reads and writes its controller in {@code state/state.json},
 * so a run reaches it through the real sshd with {@code jujuCommand = <dir>/bin/juju}. Methods here
 * set the controller up and switch its misbehaviour on. {@code bin/juju-restore} is the stand-in
 * juju-restore that {@code juju ssh <machine> -- juju-restore ...} runs.
 */
final class JujuStandIn {

  static final String JUJU_1 = "1.25.6-trusty-amd64";
  static final String JUJU_3 = "3.1.6-genericlinux-amd64";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  private JujuStandIn(Path dir) {
    this.dir = dir;
  }

  /** A controller of {@code version} with {@code voting} machines that have a vote. */
  static JujuStandIn install(Path dir, String version, int voting) {
    try {
      Files.createDirectories(dir.resolve("bin"));
      Files.createDirectories(dir.resolve("state"));
      Files.createDirectories(dir.resolve("work"));
      try (InputStream script = JujuStandIn.class.getResourceAsStream("/juju/juju")) {
        if (script == null) {
          throw new IllegalStateException("src/test/resources/juju/juju is missing from the test class path");
        }
        Files.copy(script, dir.resolve("bin/juju"), StandardCopyOption.REPLACE_EXISTING);
      }
      try (InputStream script = JujuStandIn.class.getResourceAsStream("/juju/juju-restore")) {
        Files.copy(script, dir.resolve("bin/juju-restore"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(dir.resolve("bin/juju"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(dir.resolve("bin/juju-restore"), PosixFilePermissions.fromString("rwxr-xr-x"));
      ObjectNode state = JSON.createObjectNode();
      state.put("version", version);
      state.put("env", "jujutest");
      state.put("controller", "lifeboat-test");
      state.put("modelUuid", UUID.randomUUID().toString());
      state.put("controllerUuid", UUID.randomUUID().toString());
      state.put("hostname", "juju-" + Integer.toHexString(dir.hashCode() & 0xffffff) + "-0");
      state.put("base", version.startsWith("1.") ? "trusty" : version.startsWith("2.") ? "focal" : "ubuntu@22.04");
      ObjectNode machines = state.putObject("machines");
      for (int i = 0; i < voting; i++) {
        ObjectNode machine = machines.putObject(String.valueOf(i));
        machine.put("agent", "started");
        machine.put("vote", "has-vote");
      }
      state.putObject("backups");
      JujuStandIn standIn = new JujuStandIn(dir);
      standIn.write(state);
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code jujuCommand} parameter that runs this stand-in. */
  String command() {
    return dir.resolve("bin/juju").toString();
  }

  Path dir() {
    return dir;
  }

  String modelUuid() {
    return state().get("modelUuid").asText();
  }

  /** Sets a top-level field of the controller's state: a switch such as {@code corruptDownload}, or a fact. */
  void set(String field, Object value) {
    ObjectNode state = state();
    state.set(field, JSON.valueToTree(value));
    write(state);
  }

  /** Every state server is lost: machines down, nothing answers (the precondition of an HA restore). */
  void loseAllStateServers() {
    ObjectNode state = state();
    state.withObject("/machines").properties().forEach(e -> {
      ((ObjectNode) e.getValue()).put("agent", "down");
      ((ObjectNode) e.getValue()).put("vote", "no-vote");
    });
    state.put("unreachable", true);
    write(state);
  }

  /** The machines' states, e.g. {@code {"0": {"agent": "started", "vote": "has-vote"}}}. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, String>> machines() {
    return JSON.convertValue(state().get("machines"), Map.class);
  }

  /** What the restore recorded: the file and constraints it was given, or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> restoredFrom() {
    var node = state().get("restoredFrom");
    return node == null || node.isNull() ? null : JSON.convertValue(node, Map.class);
  }

  /** The argument lists juju was called with, in order. */
  List<List<String>> calls() {
    Path log = dir.resolve("state/calls.log");
    List<List<String>> calls = new ArrayList<>();
    try {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          calls.add(List.of(JSON.readValue(line, String[].class)));
        }
      }
      return calls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectNode state() {
    try {
      return (ObjectNode) JSON.readTree(dir.resolve("state/state.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(ObjectNode state) {
    try {
      Path tmp = dir.resolve("state/state.json.tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
      Files.move(tmp, dir.resolve("state/state.json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
