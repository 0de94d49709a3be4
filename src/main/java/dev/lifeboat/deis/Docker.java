package dev.lifeboat.deis;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The docker CLI on a host, as procedure 004 uses it: {@code docker export} of a data container to
 * stdout, {@code docker import -} from stdin. {@code dockerCommand} may carry a prefix such as
 * {@code sudo docker}; every other argument is quoted.
 */
final class Docker {

  private static final Duration STREAM_TIMEOUT = Duration.ofHours(6);

  private final HostSession host;
  private final List<String> program;

  Docker(HostSession host, String dockerCommand) {
    this.host = host;
    String command = dockerCommand == null || dockerCommand.isBlank() ? "docker" : dockerCommand.strip();
    this.program = Arrays.asList(command.split("\\s+"));
  }

  String where() {
    return host.where();
  }

  Command command(String... arguments) {
    List<String> all = new ArrayList<>(program);
    all.addAll(List.of(arguments));
    return Command.of(all);
  }

  /** The daemon's version; fails with docker's own words when the daemon does not answer. */
  String serverVersion() {
    CommandResult result = host.run(command("version", "--format", "{{.Server.Version}}"));
    if (!result.succeeded()) {
      throw new DockerException("docker on " + host.where() + " does not answer: " + result.tail());
    }
    return result.stdout().strip();
  }

  /** {@code docker export <container>}: the container's filesystem as a tar, to {@code out}. */
  void export(String container, OutputStream out) {
    CommandResult result = host.stream(command("export", container), null, out, STREAM_TIMEOUT);
    if (!result.succeeded()) {
      throw new DockerException("'" + result.command() + "' on " + host.where() + " failed (exit "
          + result.exitStatus() + "): " + result.tail());
    }
  }

  /** {@code docker import - <name>} fed from {@code tar}; the new image id as docker prints it. */
  String importImage(String name, InputStream tar) {
    CommandResult result = host.stream(command("import", "-", name), tar, null, STREAM_TIMEOUT);
    if (!result.succeeded()) {
      throw new DockerException("'" + result.command() + "' on " + host.where() + " failed (exit "
          + result.exitStatus() + "): " + result.tail());
    }
    return result.stdout().strip();
  }

  /** The id of an image reference, or empty when there is no such image. */
  Optional<String> imageId(String reference) {
    CommandResult result = host.run(command("image", "inspect", "--format", "{{.Id}}", reference));
    if (!result.succeeded()) {
      if (result.stderr().contains("No such image")) {
        return Optional.empty();
      }
      throw new DockerException("'" + result.command() + "' on " + host.where() + " failed: " + result.tail());
    }
    return Optional.of(result.stdout().strip());
  }

  void tag(String source, String target) {
    host.run(command("tag", source, target)).orThrow(host.where());
  }

  void removeTag(String reference) {
    host.run(command("rmi", reference)).orThrow(host.where());
  }
}
