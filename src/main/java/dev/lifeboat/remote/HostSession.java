package dev.lifeboat.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One connection to a host (over SSH, or Lifeboat's own host): run commands, move files. Steps
 * open one, use it and close it; the steps of a run may share one kept connection
 * ({@link RemoteHosts#forRun}), which closing their session only gives back.
 */
public interface HostSession extends AutoCloseable {

  /** Who and where, for messages: {@code ubuntu@db1:22} or {@code local}. */
  String where();

  /** Runs a command and waits at most {@code timeout}; a command still running then is ended and reported. */
  CommandResult run(Command command, Duration timeout, OutputListener output);

  /** Runs a command with the configured command timeout and no output listener. */
  CommandResult run(Command command);

  /**
   * Runs a command whose input or output is data rather than text: {@code stdin} (when not null) is
   * sent as the command's standard input and then closed; its standard output goes to {@code stdout}
   * (when not null) instead of the result, whatever its size (e.g. {@code docker export} or {@code
   * tar cpzf -} writing a tar, {@code docker import -} reading one); output that stalls past {@code
   * timeout} ends the command. stderr is kept as for {@link #run}, its lines also going to {@code stderrLines}.
   */
  CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
      OutputListener stderrLines);

  /** {@link #stream(Command, InputStream, OutputStream, Duration, OutputListener)} without a stderr listener. */
  default CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout) {
    return stream(command, stdin, stdout, timeout, OutputListener.NONE);
  }

  /** Writes {@code size} bytes from {@code content} to {@code path} on the host, creating its directory. */
  void upload(InputStream content, long size, String path, TransferListener progress) throws IOException;

  /**
   * Copies the file at {@code path} on the host into {@code out} (left open) and returns how many
   * bytes it held; a file that cannot be read is a {@link RemoteException} naming it.
   */
  long download(String path, OutputStream out, TransferListener progress) throws IOException;

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
