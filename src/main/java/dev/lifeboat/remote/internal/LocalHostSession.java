package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import dev.lifeboat.remote.RemoteException;
import dev.lifeboat.remote.SshProperties;
import dev.lifeboat.remote.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Lifeboat's own host: commands are started directly from their arguments, with no shell in between. */
public final class LocalHostSession implements HostSession {

  private final SshProperties properties;

  public LocalHostSession(SshProperties properties) {
    this.properties = properties;
  }

  @Override
  public String where() {
    return "local";
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, properties.commandTimeout(), OutputListener.NONE);
  }

  @Override
  public CommandResult run(Command command, Duration timeout, OutputListener output) {
    Process process;
    try {
      process = new ProcessBuilder(command.arguments()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new RemoteException("cannot start '" + command.describe() + "' on this host: " + e.getMessage(), e);
    }
    OutputCollector stdout = new OutputCollector(process.getInputStream(), properties.outputCap(), command, output);
    OutputCollector stderr = new OutputCollector(process.getErrorStream(), properties.outputCap(), command, output);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new RemoteException("'" + command.describe() + "' on this host did not finish within " + timeout
            + " and was stopped");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted while '" + command.describe() + "' ran", e);
    }
    return new CommandResult(command.describe(), process.exitValue(), stdout.text(command, 5_000),
        stderr.text(command, 5_000), stdout.truncated() || stderr.truncated());
  }

  @Override
  public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
      OutputListener stderrLines) {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command.arguments());
      if (stdin == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      process = builder.start();
    } catch (IOException e) {
      throw new RemoteException("cannot start '" + command.describe() + "' on this host: " + e.getMessage(), e);
    }
    try {
      Streams feeder = stdin == null ? null : Streams.feed(stdin, process.getOutputStream());
      OutputCollector stderr = new OutputCollector(process.getErrorStream(), properties.outputCap(), command,
          stderrLines);
      OutputCollector text = null;
      if (stdout != null) {
        process.getInputStream().transferTo(stdout);
      } else {
        text = new OutputCollector(process.getInputStream(), properties.outputCap(), command, OutputListener.NONE);
      }
      if (feeder != null) {
        feeder.await(where(), command);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RemoteException("'" + command.describe() + "' on this host did not finish within " + timeout);
      }
      return new CommandResult(command.describe(), process.exitValue(), text == null ? "" : text.text(command, 5_000),
          stderr.text(command, 5_000), stderr.truncated() || (text != null && text.truncated()));
    } catch (IOException e) {
      process.destroyForcibly();
      throw new RemoteException("running '" + command.describe() + "' on this host failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted while '" + command.describe() + "' ran", e);
    }
  }

  @Override
  public void upload(InputStream content, long size, String path, TransferListener progress) throws IOException {
    Path target = Path.of(path);
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    try (OutputStream out = Files.newOutputStream(target)) {
      Transfers.copy(content, out, size, path, progress);
    }
  }

  @Override
  public long download(String path, OutputStream out, TransferListener progress) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return Transfers.copyAll(in, out, progress);
    }
  }

  @Override
  public void close() {
    // nothing held open
  }
}
