package dev.lifeboat.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Debian's {@code age} and {@code age-keygen}, the reference implementation Lifeboat must agree with. */
public final class AgeTool {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private AgeTool() {}

  /** {@code age-keygen -o keyFile}: a new identity file; returns its public key (age1...). */
  public static String keygen(Path keyFile) {
    Exec.runChecked(List.of(binary("age-keygen").toString(), "-o", keyFile.toString()), env -> {}, null, TIMEOUT);
    return publicKey(keyFile);
  }

  /** {@code age-keygen -y keyFile}: the public key of an identity file. */
  public static String publicKey(Path keyFile) {
    return Exec.runChecked(List.of(binary("age-keygen").toString(), "-y", keyFile.toString()), env -> {}, null,
        TIMEOUT).stdout().strip();
  }

  /** {@code age <args>}; exit code, stdout and stderr (callers check failures themselves). */
  public static Result age(String... args) {
    List<String> command = new ArrayList<>(List.of(binary("age").toString()));
    command.addAll(List.of(args));
    Exec.Result result = Exec.run(command, env -> {}, null, TIMEOUT);
    return new Result(result.exitCode(), result.stderr());
  }

  public record Result(int exitCode, String stderr) {}

  private static Path binary(String name) {
    return Exec.findBinary(name, Path.of("/usr/bin/" + name))
        .orElseThrow(() -> new IllegalStateException(name + " not found on PATH or in /usr/bin: install the Debian"
            + " package age " + Exec.INSTALL_HINT));
  }
}
