package dev.lifeboat.remote;

/**
 * How a command ended. {@code stdout} and {@code stderr} are capped (see {@code lifeboat.ssh.output-cap});
 * {@code truncated} says that some output was dropped. Secrets of the command are already masked.
 */
public record CommandResult(String command, int exitStatus, String stdout, String stderr, boolean truncated) {

  public boolean succeeded() {
    return exitStatus == 0;
  }

  /** Throws {@link CommandFailedException} unless the command exited 0. */
  public CommandResult orThrow(String where) {
    if (!succeeded()) {
      throw new CommandFailedException(where, this);
    }
    return this;
  }

  /** The last lines of stderr (or stdout), for an error message. */
  public String tail() {
    String text = stderr.isBlank() ? stdout : stderr;
    String trimmed = text.strip();
    return trimmed.length() <= 600 ? trimmed : "…" + trimmed.substring(trimmed.length() - 600);
  }
}
