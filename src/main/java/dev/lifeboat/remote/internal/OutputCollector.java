package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.OutputListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a command on its own thread (stdout and stderr must be read at the
 * same time, or a chatty command blocks): keeps the first {@code cap} bytes, hands each line,
 * masked, to the listener.
 */
final class OutputCollector {

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final Thread thread;
  private volatile boolean truncated;

  OutputCollector(InputStream in, int cap, Command command, OutputListener listener) {
    this.thread = Thread.ofVirtual().start(() -> drain(in, cap, command, listener));
  }

  private void drain(InputStream in, int cap, Command command, OutputListener listener) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        int keep = Math.min(n, cap - kept.size());
        if (keep > 0) {
          kept.write(buffer, 0, keep);
        }
        if (keep < n) {
          truncated = true;
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            emit(line, command, listener);
          } else if (line.size() < 4096) {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      // The channel closed under us (timeout, disconnect); what was read so far is kept.
    }
    emit(line, command, listener);
  }

  private static void emit(ByteArrayOutputStream line, Command command, OutputListener listener) {
    if (line.size() > 0) {
      listener.line(command.mask(line.toString(StandardCharsets.UTF_8)));
      line.reset();
    }
  }

  /** Waits (briefly) for the stream to end and returns what was kept, masked. */
  String text(Command command, long waitMillis) {
    try {
      thread.join(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (kept) {
      return command.mask(kept.toString(StandardCharsets.UTF_8));
    }
  }

  boolean truncated() {
    return truncated;
  }
}
