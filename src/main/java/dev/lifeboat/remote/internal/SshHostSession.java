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
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;

/** A host reached over SSH; each command gets its own session channel on the one connection. */
public final class SshHostSession implements HostSession {

  /** Unconfirmed SFTP writes in flight: keeps the pipe full on a link with latency. */
  private static final int SFTP_WRITES_IN_FLIGHT = 32;

  private final SSHClient client;
  private final String where;
  private final SshProperties properties;

  SshHostSession(SSHClient client, String where, SshProperties properties) {
    this.client = client;
    this.where = where;
    this.properties = properties;
  }

  @Override
  public String where() {
    return where;
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, properties.commandTimeout(), OutputListener.NONE);
  }

  @Override
  public CommandResult run(Command command, Duration timeout, OutputListener output) {
    return execute(command, null, null, timeout, output);
  }

  @Override
  public CommandResult stream(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
      OutputListener stderrLines) {
    return execute(command, stdin, stdout, timeout, stderrLines);
  }

  /** Runs a command; with {@code stdin} it is fed as input, with {@code stdout} the output goes there, not to the result. */
  private CommandResult execute(Command command, InputStream stdin, OutputStream stdout, Duration timeout,
      OutputListener output) {
    Session session = null;
    try {
      session = client.startSession();
      Session.Command running = session.exec(command.toShellLine());
      Streams feeder = null;
      if (stdin == null) {
        running.getOutputStream().close();
      } else {
        feeder = Streams.feed(stdin, running.getOutputStream());
      }
      OutputCollector stderr = new OutputCollector(running.getErrorStream(), properties.outputCap(), command, output);
      OutputCollector text = null;
      if (stdout != null) {
        // Data can stall without end: the timeout ends the command while its output is still being read.
        Thread watchdog = Thread.ofVirtual().start(() -> {
          try {
            Thread.sleep(timeout.toMillis());
            abandon(running);
          } catch (InterruptedException finished) {
            // the output ended in time
          }
        });
        try {
          running.getInputStream().transferTo(stdout);
        } finally {
          watchdog.interrupt();
        }
      } else {
        text = new OutputCollector(running.getInputStream(), properties.outputCap(), command, output);
      }
      if (feeder != null) {
        feeder.await(where, command);
      }
      try {
        running.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ConnectionException e) {
        if (running.getExitStatus() == null) {
          abandon(running);
          throw new RemoteException("'" + command.describe() + "' on " + where + " did not finish within " + timeout
              + "; the connection was closed (if the host's sshd ignores kill requests, the command may still run there)",
              e);
        }
      }
      Integer status = running.getExitStatus();
      String out = text == null ? "" : text.text(command, 5_000);
      String err = stderr.text(command, 5_000);
      if (status == null) {
        String signal = running.getExitSignal() == null ? "no exit status" : "signal " + running.getExitSignal();
        throw new RemoteException("'" + command.describe() + "' on " + where + " ended with " + signal
            + (err.isBlank() ? "" : ": " + err.strip()));
      }
      return new CommandResult(command.describe(), status, out, err,
          (text != null && text.truncated()) || stderr.truncated());
    } catch (IOException e) {
      throw new RemoteException("running '" + command.describe() + "' on " + where + " failed: " + e.getMessage(), e);
    } finally {
      if (session != null && session.isOpen()) {
        try {
          session.close();
        } catch (IOException ignored) {
          // the channel is gone either way
        }
      }
    }
  }

  /**
   * Ends a command that ran too long: sshd keeps a channel open until its command exits, so ask
   * it to kill the command; if the channel still does not close, drop the whole connection (this
   * session is then unusable, and the step that ran the command fails).
   */
  private void abandon(Session.Command running) {
    try {
      running.signal(Signal.KILL);
      running.join(5, TimeUnit.SECONDS);
    } catch (IOException stillOpen) {
      close();
    }
  }

  @Override
  public void upload(InputStream content, long size, String path, TransferListener progress) throws IOException {
    try (SFTPClient sftp = client.newSFTPClient()) {
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        sftp.mkdirs(path.substring(0, slash));
      }
      try (RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC));
          OutputStream out = file.new RemoteFileOutputStream(0, SFTP_WRITES_IN_FLIGHT)) {
        Transfers.copy(content, out, size, path, progress);
      }
    } catch (IOException e) {
      throw new RemoteException("uploading to " + path + " on " + where + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long download(String path, OutputStream out, TransferListener progress) throws IOException {
    try (SFTPClient sftp = client.newSFTPClient();
        RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ));
        InputStream in = file.new ReadAheadRemoteFileInputStream(SFTP_WRITES_IN_FLIGHT)) {
      return Transfers.copyAll(in, out, progress);
    } catch (IOException e) {
      throw new RemoteException("downloading " + path + " from " + where + " failed: " + e.getMessage(), e);
    }
  }

  /** False once the connection dropped or was closed: a kept connection is then replaced. */
  public boolean connected() {
    return client.isConnected() && client.isAuthenticated();
  }

  @Override
  public void close() {
    try {
      client.disconnect();
    } catch (IOException ignored) {
      // the connection is going away either way
    }
  }
}
