package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single etcd member managed like a service on a host: {@code etcd-service.sh start|stop} is what
 * the restore runbook's startCommand and stopCommand run (over a real sshd), as systemctl would.
 */
public final class EtcdService implements AutoCloseable {

  private final Path dir;
  private final String name;
  private final int clientPort;
  private final int peerPort;

  private EtcdService(Path dir, String name, int clientPort, int peerPort) {
    this.dir = dir;
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Writes the service script and starts a fresh member. */
  public static EtcdService start(Path dir, String name) {
    EtcdService service = new EtcdService(dir, name, FreePorts.next(), FreePorts.next());
    try {
      Files.createDirectories(dir);
      Path script = service.script();
      Files.writeString(script, String.join("\n",
          "#!/bin/sh",
          "# start|stop the etcd member '" + name + "', like a service manager would",
          "set -e",
          "PIDFILE=" + dir.resolve("etcd.pid"),
          "case \"$1\" in",
          "  start)",
          "    setsid nohup " + EtcdProcess.binary() + " --name " + name
              + " --data-dir " + service.dataDir()
              + " --listen-client-urls " + service.clientUrl() + " --advertise-client-urls " + service.clientUrl()
              + " --listen-peer-urls " + service.peerUrl() + " --initial-advertise-peer-urls " + service.peerUrl()
              + " --initial-cluster " + name + "=" + service.peerUrl()
              + " >>" + dir.resolve("etcd.log") + " 2>&1 </dev/null &",
          "    echo $! > \"$PIDFILE\" ;;",
          "  stop)",
          "    [ -f \"$PIDFILE\" ] || exit 0",
          "    PID=$(cat \"$PIDFILE\")",
          "    kill \"$PID\" 2>/dev/null || true",
          "    for i in $(seq 1 100); do kill -0 \"$PID\" 2>/dev/null || break; sleep 0.1; done",
          "    kill -9 \"$PID\" 2>/dev/null || true",
          "    rm -f \"$PIDFILE\" ;;",
          "  *) echo \"usage: $0 start|stop\" >&2; exit 2 ;;",
          "esac",
          ""));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    service.run("start");
    service.awaitHealthy();
    return service;
  }

  public Path script() {
    return dir.resolve("etcd-service.sh");
  }

  public String startCommand() {
    return script() + " start";
  }

  public String stopCommand() {
    return script() + " stop";
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public String name() {
    return name;
  }

  public String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  public String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  /** The etcd-restore parameters that name this member on {@code host}, reached with {@code credentialRef}. */
  public Map<String, Object> restoreParameters(String host, String credentialRef) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("host", host);
    parameters.put("credentialRef", credentialRef);
    parameters.put("dataDir", dataDir().toString());
    parameters.put("name", name);
    parameters.put("clientUrl", clientUrl());
    parameters.put("peerUrl", peerUrl());
    parameters.put("stopCommand", stopCommand());
    parameters.put("startCommand", startCommand());
    return parameters;
  }

  public boolean healthy() {
    return Etcdctl.attempt(clientUrl(), "endpoint", "health").exitCode() == 0;
  }

  public void awaitHealthy() {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (healthy()) {
        return;
      }
      LifeboatApp.sleep(200);
    }
    throw new IllegalStateException("etcd member " + name + " did not become healthy: " + Exec.tail(dir.resolve("etcd.log"), 20));
  }

  public void run(String action) {
    Exec.runChecked(List.of(script().toString(), action), env -> {}, null, Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    run("stop");
  }
}
