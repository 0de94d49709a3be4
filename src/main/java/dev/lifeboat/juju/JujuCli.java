package dev.lifeboat.juju;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The juju client on a host, as an operator's {@code jujuCommand} names it (often /snap/bin/juju,
 * which non-interactive SSH sessions lack on PATH). Juju writes {@code ERROR ...} lines and exits
 * 1 (or 2 for a bad flag) when it fails; everything else it says on stderr (WARNING lines,
 * "Downloaded to ...") is information for the step, never a failure.
 */
final class JujuCli {

  /** Which commands a client has: 1.x ({@code juju backups ...}) or 2.9/3.x ({@code create-backup}, juju-restore). */
  enum Generation {
    JUJU_1("1.x"), JUJU_2_9("2.9/3.x");

    final String label;

    Generation(String label) {
      this.label = label;
    }
  }

  /** {@code juju version} as printed, e.g. {@code 1.25.6-trusty-amd64} or {@code 3.1.6-genericlinux-amd64}. */
  record Version(String text, int major, int minor) {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)[.-].*|(\\d+)\\.(\\d+)");

    static Version parse(String printed) {
      String text = printed.strip().lines().reduce((a, b) -> b).orElse("").strip();
      Matcher m = VERSION.matcher(text);
      if (!m.matches()) {
        throw new JujuException("'juju version' printed '" + printed.strip() + "', not a Juju version");
      }
      int major = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(3));
      int minor = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(4));
      return new Version(text, major, minor);
    }

    /** The number without series and architecture: {@code 1.25.6}. */
    String number() {
      int dash = text.indexOf('-', text.indexOf('.'));
      return dash < 0 ? text : text.substring(0, dash);
    }

    Generation generation() {
      if (major == 1) {
        return Generation.JUJU_1;
      }
      if (major == 2 && minor < 9) {
        throw new JujuException("Juju " + text + " is not supported: Lifeboat drives Juju 1.x and 2.9/3.x (2.0-2.8 have"
            + " another backup and restore command set); upgrade the client to 2.9");
      }
      return Generation.JUJU_2_9;
    }
  }

  /** What a juju command said: stdout, and its stderr lines that are not errors. */
  record Output(String stdout, List<String> messages) {}

  private final HostSession host;
  private final String command;

  JujuCli(HostSession host, String command) {
    this.host = host;
    this.command = command == null || command.isBlank() ? "juju" : command.strip();
  }

  String where() {
    return host.where();
  }

  Version version() {
    CommandResult result = host.run(line("version"), Duration.ofMinutes(1), OutputListener.NONE);
    if (!result.succeeded()) {
      throw new JujuException("'" + command + " version' on " + host.where() + " exited with status "
          + result.exitStatus() + ": " + result.tail() + " (is juju installed there? set jujuCommand to its full"
          + " path, e.g. /snap/bin/juju: non-interactive SSH sessions often lack /snap/bin on PATH)");
    }
    return Version.parse(result.stdout());
  }

  /** Runs juju with {@code arguments}; a non-zero exit or an {@code ERROR} line throws with Juju's words. */
  Output run(Duration timeout, OutputListener listener, String... arguments) {
    CommandResult result = attempt(timeout, listener, arguments);
    List<String> errors = errors(result);
    if (!result.succeeded() || !errors.isEmpty()) {
      throw new JujuException("'" + result.command() + "' on " + host.where() + " failed (exit status "
          + result.exitStatus() + "): " + (errors.isEmpty() ? result.tail() : String.join("; ", errors)));
    }
    return new Output(result.stdout(), messages(result));
  }

  /** Runs juju and returns how it ended, for callers to whom a failure is a finding. */
  CommandResult attempt(Duration timeout, OutputListener listener, String... arguments) {
    return host.run(line(arguments), timeout, listener);
  }

  static List<String> errors(CommandResult result) {
    return result.stderr().lines().map(String::strip).filter(l -> l.startsWith("ERROR")).toList();
  }

  static List<String> messages(CommandResult result) {
    List<String> messages = new ArrayList<>();
    result.stderr().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("ERROR"))
        .forEach(messages::add);
    return messages;
  }

  /** The command line as run: the operator's jujuCommand as typed, every argument quoted. */
  Command line(String... arguments) {
    return Command.shell(command + " " + Command.of(arguments).toShellLine());
  }

  /** How an approver reads a juju command line. */
  String describe(String... arguments) {
    return command + " " + Command.of(arguments).toShellLine();
  }

  HostSession host() {
    return host;
  }
}
