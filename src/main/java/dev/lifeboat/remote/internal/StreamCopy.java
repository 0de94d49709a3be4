package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.RemoteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Copies a command's standard output to the caller's stream on a thread of its own, with a deadline. */
final class StreamCopy {

  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private final Duration timeout;

  private StreamCopy(Duration timeout) {
    this.timeout = timeout;
  }

  static StreamCopy start(InputStream in, OutputStream out, Duration timeout) {
    StreamCopy copy = new StreamCopy(timeout);
    Thread.ofVirtual().name("command-stdout").start(() -> {
      try {
        copy.done.complete(in.transferTo(out));
      } catch (IOException | RuntimeException e) {
        copy.done.completeExceptionally(e);
      }
    });
    return copy;
  }

  /** Waits until the output ended; a failed write (the caller's stream) is rethrown. */
  long await(Command command, String where) throws IOException {
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new RemoteException("'" + command.describe() + "' on " + where + " did not finish within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while '" + command.describe() + "' ran");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new RemoteException("'" + command.describe() + "' on " + where + " failed: " + e.getCause().getMessage(),
          e.getCause());
    }
  }
}
