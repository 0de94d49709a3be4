package dev.lifeboat.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One connection to a host (over SSH, or Lifeboat's own host): run commands, move files. Steps
 * open one, use it and close it; nothing is kept between steps.
 */
public interface HostSession extends AutoCloseable {

  /** Who and where, for messages: {@code ubuntu@db1:22} or {@code local}. */
  String where();

  /** Runs a command and waits at most {@code timeout}; a command still running then is ended and reported. */
  CommandResult run(Command command, Duration timeout, OutputListener output);

  /**
   * Runs a command whose standard output is data (an archive, a dump): its bytes are copied to
   * {@code stdout} as they come, never held in memory; standard error is collected and passed to
   * {@code stderrLines}. The result's stdout is empty. A failure to write to {@code stdout} ends
   * the command and is thrown.
   */
  CommandResult stream(Command command, Duration timeout, OutputStream stdout, OutputListener stderrLines)
      throws IOException;

  /** Runs a command with the configured command timeout and no output listener. */
  CommandResult run(Command command);

  /** Writes {@code size} bytes from {@code content} to {@code path} on the host, creating its directory. */
  void upload(InputStream content, long size, String path, TransferListener progress) throws IOException;

  /** The sha256 of a file on the host, as its own {@code sha256sum} prints it. */
  default String sha256(String path) {
    CommandResult result = run(Command.of("sha256sum", "--", path)).orThrow(where());
    String out = result.stdout().strip();
    int space = out.indexOf(' ');
    String digest = space < 0 ? out : out.substring(0, space);
    if (!digest.matches("[0-9a-f]{64}")) {
      throw new RemoteException("sha256sum on " + where() + " printed '" + out + "', not a sha256");
    }
    return digest;
  }

  @Override
  void close();
}
