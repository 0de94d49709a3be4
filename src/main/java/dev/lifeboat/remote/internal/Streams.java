package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.RemoteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Feeds a command's standard input on its own thread while its output is read on the caller's. */
final class Streams {

  private final Thread thread;
  private volatile IOException failure;

  private Streams(InputStream in, OutputStream out) {
    this.thread = Thread.ofVirtual().start(() -> {
      try (out) {
        if (in != null) {
          in.transferTo(out);
        }
      } catch (IOException e) {
        failure = e;
      }
    });
  }

  /** Copies {@code in} (nothing when null) to {@code out}, then closes {@code out}: the command's input ends. */
  static Streams feed(InputStream in, OutputStream out) {
    return new Streams(in, out);
  }

  /** Waits until the input was sent; failing to send it fails the command. */
  void await(String where, Command command) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted sending input to '" + command.describe() + "' on " + where, e);
    }
    if (failure != null) {
      throw new RemoteException("sending input to '" + command.describe() + "' on " + where + " failed: "
          + failure.getMessage(), failure);
    }
  }
}
