package dev.lifeboat.remote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A command as a list of arguments. On a host it is sent as one shell line with every argument
 * quoted, so a parameter such as {@code x; rm -rf /} stays one argument, never a second command.
 * Arguments marked secret are shown as {@code ****} wherever the command is described.
 */
public record Command(List<String> arguments, Set<Integer> secretArguments) {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public Command {
    if (arguments.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least the program to run");
    }
    arguments = List.copyOf(arguments);
    secretArguments = Set.copyOf(secretArguments);
  }

  public static Command of(String... arguments) {
    return new Command(List.of(arguments), Set.of());
  }

  public static Command of(List<String> arguments) {
    return new Command(arguments, Set.of());
  }

  /**
   * A command line an operator wrote on purpose (such as {@code systemctl stop etcd}), run by
   * {@code sh -c}; it is the operator's own command, so it is not split or quoted further.
   */
  public static Command shell(String commandLine) {
    return of("sh", "-c", commandLine);
  }

  public Command with(String... more) {
    List<String> all = new ArrayList<>(arguments);
    all.addAll(List.of(more));
    return new Command(all, secretArguments);
  }

  /** Adds an argument that is a secret: it is sent, but never shown. */
  public Command withSecret(String secret) {
    List<String> all = new ArrayList<>(arguments);
    all.add(secret);
    Set<Integer> secrets = new HashSet<>(secretArguments);
    secrets.add(all.size() - 1);
    return new Command(all, secrets);
  }

  /** The line a POSIX shell runs: every argument single-quoted unless it is plainly safe. */
  public String toShellLine() {
    StringBuilder line = new StringBuilder();
    for (String argument : arguments) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      line.append(quote(argument));
    }
    return line.toString();
  }

  public static String quote(String argument) {
    if (!argument.isEmpty() && SAFE.matcher(argument).matches()) {
      return argument;
    }
    return "'" + argument.replace("'", "'\"'\"'") + "'";
  }

  /** The command as a person reads it, secrets masked. */
  public String describe() {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < arguments.size(); i++) {
      if (i > 0) {
        line.append(' ');
      }
      line.append(secretArguments.contains(i) ? "****" : quote(arguments.get(i)));
    }
    return line.toString();
  }

  /** Replaces every secret argument found in {@code text} (such as an echo in stderr) with ****. */
  public String mask(String text) {
    String masked = text;
    for (int index : secretArguments) {
      String secret = arguments.get(index);
      if (!secret.isEmpty()) {
        masked = masked.replace(secret, "****");
      }
    }
    return masked;
  }

  @Override
  public String toString() {
    return describe();
  }
}
