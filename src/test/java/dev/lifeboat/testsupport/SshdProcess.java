package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real OpenSSH sshd on loopback, with its own host key and one authorised client key, run as
 * the current user. {@link #lifeboatProperties} configures Lifeboat to reach it as {@code credentialRef}.
 */
public final class SshdProcess implements AutoCloseable {

  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Process process;
  private final int port;
  private final Path dir;

  private SshdProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static SshdProcess start(Path dir) {
    if (!Files.isExecutable(SSHD)) {
      throw new IllegalStateException("/usr/sbin/sshd is missing: install the Debian package openssh-server "
          + Exec.INSTALL_HINT);
    }
    try {
      Files.createDirectories(dir);
      Files.createDirectories(Path.of("/run/sshd"));
      keygen(dir.resolve("host_key"));
      keygen(dir.resolve("client_key"));
      Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
      int port = FreePorts.next();
      Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "Port " + port,
          "ListenAddress 127.0.0.1",
          "HostKey " + dir.resolve("host_key"),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
          "PidFile " + dir.resolve("sshd.pid"),
          "StrictModes no",
          "UsePAM no",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "PubkeyAuthentication yes",
          "PermitRootLogin prohibit-password",
          "AllowUsers " + System.getProperty("user.name"),
          "Subsystem sftp internal-sftp",
          // A server's commands run without a login shell's set-up, but Debian's bash reads ~/.bashrc for
          // any command sshd starts unless it is nested: a developer's (pyenv, cargo) then made each
          // command cost 80 ms instead of 2.5 ms, and the tests depend on whatever that file does.
          "SetEnv SHLVL=1",
          "LogLevel VERBOSE",
          ""));
      Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("sshd.log").toFile())
          .start();
      SshdProcess sshd = new SshdProcess(process, port, dir);
      sshd.awaitPort();
      return sshd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void keygen(Path key) {
    Exec.runChecked(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lifeboat-test", "-f", key.toString()),
        env -> {}, null, Duration.ofSeconds(30));
  }

  private void awaitPort() {
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("sshd exited: " + Exec.tail(dir.resolve("sshd.log"), 20));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        LifeboatApp.sleep(100);
      }
    }
    throw new IllegalStateException("sshd did not listen on " + port + ": " + Exec.tail(dir.resolve("sshd.log"), 20));
  }

  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /**
   * The client ports of the connections sshd accepted so far (LogLevel VERBOSE logs one "Accepted
   * publickey ... port N" line per connection), in order.
   */
  public java.util.List<Integer> acceptedConnections() {
    return logLines().stream()
        .map(java.util.regex.Pattern.compile("Accepted publickey for \\S+ from \\S+ port (\\d+)")::matcher)
        .filter(java.util.regex.Matcher::find)
        .map(m -> Integer.parseInt(m.group(1)))
        .toList();
  }

  /** Whether sshd logged the end of the connection from client port {@code port}. */
  public boolean connectionEnded(int port) {
    return logLines().stream().anyMatch(line -> line.contains(" port " + port)
        && (line.contains("Disconnected from") || line.contains("Connection closed by")
            || line.contains("Received disconnect from")));
  }

  private java.util.List<String> logLines() {
    try {
      return Files.readAllLines(dir.resolve("sshd.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path clientKey() {
    return dir.resolve("client_key");
  }

  /** The known_hosts line for this server, as ssh-keyscan would print it. */
  public String knownHostsLine() {
    try {
      String[] pub = Files.readString(dir.resolve("host_key.pub")).strip().split("\\s+");
      return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host key's fingerprint as {@code ssh-keygen -lf} prints it (SHA256:...). */
  public String hostKeyFingerprint() {
    String out = Exec.runChecked(List.of("ssh-keygen", "-lf", dir.resolve("host_key.pub").toString()),
        env -> {}, null, Duration.ofSeconds(10)).stdout();
    return out.split("\\s+")[1];
  }

  /** Lifeboat configuration: known_hosts with the given lines, and credentials {@code ref} with the client key. */
  public Map<String, String> lifeboatProperties(String ref, Path knownHosts, String... knownHostsLines) {
    try {
      Files.writeString(knownHosts, String.join("\n", knownHostsLines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "lifeboat.ssh.known-hosts-file", knownHosts.toString(),
        "lifeboat.credentials." + ref + ".username", System.getProperty("user.name"),
        "lifeboat.credentials." + ref + ".private-key-file", clientKey().toString());
  }

  @Override
  public void close() {
    Exec.stop(process, Duration.ofSeconds(5));
  }
}
