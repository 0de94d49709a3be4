package dev.lifeboat.deis;

import dev.lifeboat.objectstore.ObjectStore;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.objectstore.S3Connection;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import dev.lifeboat.remote.RemoteException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * deisctl and docker on a cluster machine, over one SSH session. deisctl prints its errors as
 * {@code Error: ...} on stdout with exit 1 (and start/stop/install exit 0 even when they fail, so
 * their effect is checked with {@code deisctl list}, never by exit status).
 */
final class DeisStoreHost {

  private final HostSession session;
  private final String deisctl;
  private final String docker;

  DeisStoreHost(HostSession session, String deisctl, String docker) {
    this.session = session;
    this.deisctl = deisctl;
    this.docker = docker;
  }

  String where() {
    return session.where();
  }

  /** {@code deisctl config <target> get <key>}: the bare value. Not for secrets (the message names the value on failure). */
  String config(String target, String key) {
    CommandResult result = session.run(deisctl("config", target, "get", key));
    return value(result, target + " " + key);
  }

  /** The gateway's keys, read for one step and never kept; failures never show what was printed. */
  DeisStoreKeys gatewayKeys() {
    String access = secret("gateway/accessKey");
    String secret = secret("gateway/secretKey");
    return new DeisStoreKeys(access, secret);
  }

  /**
   * The store gateway: with {@code credentialRef} (kind s3) when the operator configured one,
   * otherwise with the keys read from the cluster now, which live only in the returned client.
   */
  ObjectStore openGateway(ObjectStores stores, String endpoint,
      String credentialRef) {
    S3Connection connection = new S3Connection(endpoint, null, credentialRef);
    if (credentialRef != null && !credentialRef.isBlank()) {
      return stores.open(connection);
    }
    DeisStoreKeys keys = gatewayKeys();
    return stores.open(connection, keys.accessKey(), keys.secretKey());
  }

  private String secret(String key) {
    CommandResult result = session.run(deisctl("config", "store", "get", key));
    String out = result.stdout().strip();
    if (result.exitStatus() != 0 || out.startsWith("Error:") || out.isEmpty() || out.contains("\n")) {
      String reason = out.startsWith("Error: 100: Key not found") ? "the key is not set (is store-gateway running?)"
          : "exit status " + result.exitStatus();
      throw new RemoteException("'deisctl config store get " + key + "' on " + where() + " gave no key: " + reason);
    }
    return out;
  }

  private String value(CommandResult result, String what) {
    String out = result.stdout().strip();
    if (result.exitStatus() != 0 || out.startsWith("Error:")) {
      throw new RemoteException("'deisctl config " + what + "' on " + where() + " failed (exit " + result.exitStatus()
          + "): " + (out.isEmpty() ? result.stderr().strip() : out));
    }
    return out;
  }

  /** One line of {@code deisctl list}: UNIT, MACHINE, LOAD, ACTIVE, SUB. */
  record Unit(String name, String machine, String load, String active, String sub) {

    boolean running() {
      return "active".equals(active) && "running".equals(sub);
    }

    /** The machine's public IP from {@code <id>.../<ip>}, or null when the unit is not scheduled. */
    String ip() {
      int slash = machine.lastIndexOf('/');
      return slash < 0 ? null : machine.substring(slash + 1);
    }

    String state() {
      return active + "/" + sub;
    }
  }

  /** The units as {@code deisctl list} shows them (fleet's view), by unit name. */
  Map<String, Unit> list() {
    CommandResult result = session.run(deisctl("list"));
    String out = result.stdout();
    if (result.exitStatus() != 0 || out.startsWith("Error:")) {
      throw new RemoteException("'deisctl list' on " + where() + " failed (exit " + result.exitStatus() + "): "
          + (out.isBlank() ? result.stderr().strip() : out.strip()));
    }
    Map<String, Unit> units = new LinkedHashMap<>();
    for (String line : out.lines().toList()) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 5 && !fields[0].equals("UNIT")) {
        units.put(fields[0], new Unit(fields[0], fields[1], fields[2], fields[3], fields[4]));
      }
    }
    return units;
  }

  /**
   * Runs a deisctl command whose exit status proves nothing (install, start): returns what it
   * printed, stdout and stderr, for the caller to check the effect with {@link #list()}.
   * An {@code Error: ...} on stdout (deisctl's own error, exit 1) is thrown.
   */
  String unchecked(String... arguments) {
    CommandResult result = session.run(deisctl(arguments), Duration.ofMinutes(10), OutputListener.NONE);
    String out = result.stdout();
    if (result.exitStatus() != 0 || out.startsWith("Error:")) {
      throw new RemoteException("'deisctl " + String.join(" ", arguments) + "' on " + where() + " failed (exit "
          + result.exitStatus() + "): " + (out.isBlank() ? result.stderr().strip() : out.strip()));
    }
    return (out + result.stderr()).replaceAll("\u001b\\[[0-9;]*m", "");
  }

  /** {@code deisctl config <target> set key=value}: deisctl prints the value it stored. */
  void set(String target, String key, String value) {
    CommandResult result = session.run(deisctl("config", target, "set", key + "=" + value));
    String printed = value(result, target + " set " + key);
    if (!printed.equals(value)) {
      throw new RemoteException("'deisctl config " + target + " set " + key + "=" + value + "' on " + where()
          + " printed '" + printed + "', not the value");
    }
  }

  /** Runs a command inside a container ({@code docker exec <container> sh -c <script>}). */
  CommandResult exec(String container, String script, OutputListener output) {
    return session.run(Command.shell(docker + " exec " + Command.quote(container) + " sh -c " + Command.quote(script)),
        Duration.ofMinutes(30), output);
  }

  HostSession session() {
    return session;
  }

  /**
   * {@code tar cpzf - .} inside {@code volume}, its bytes to {@code out}; as root, or through
   * {@code sudo -n} for another SSH user (files of other owners must be read and kept).
   */
  CommandResult tarVolume(String volume, Duration timeout, OutputStream out, OutputListener stderr) throws IOException {
    String line = "cd " + Command.quote(volume) + " && $(test \"$(id -u)\" = 0 || echo sudo -n) tar cpzf - .";
    return session.stream(Command.shell(line), null, out, timeout, stderr);
  }

  /** {@code docker exec <container> sudo -u postgres pg_dumpall}, the dump to {@code out}. */
  CommandResult dumpAll(String container, Duration timeout, OutputStream out, OutputListener stderr)
      throws IOException {
    return session.stream(Command.shell(docker + " exec " + Command.quote(container) + " sudo -u postgres pg_dumpall"),
        null, out, timeout, stderr);
  }

  private Command deisctl(String... arguments) {
    StringBuilder line = new StringBuilder(deisctl);
    for (String argument : arguments) {
      line.append(' ').append(Command.quote(argument));
    }
    return Command.shell(line.toString());
  }
}
