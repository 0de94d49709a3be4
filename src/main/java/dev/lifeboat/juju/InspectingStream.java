package dev.lifeboat.juju;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;

/**
 * Passes bytes on to {@code target} and, on a thread of its own, to a reader that inspects them in
 * the same pass (the archive's layout while it is downloaded). The reader must read to the end; a
 * reader that gave up no longer receives bytes, and its failure is reported by {@link #result}.
 */
final class InspectingStream<T> extends OutputStream {

  @FunctionalInterface
  interface Reader<T> {
    T read(InputStream in) throws IOException;
  }

  private final OutputStream target;
  private final PipedOutputStream pipe;
  private final Thread thread;
  private volatile T result;
  private volatile RuntimeException failure;
  private boolean piping = true;

  InspectingStream(OutputStream target, Reader<T> reader) throws IOException {
    this.target = target;
    PipedInputStream in = new PipedInputStream(1 << 16);
    this.pipe = new PipedOutputStream(in);
    this.thread = Thread.ofVirtual().start(() -> {
      try (in) {
        result = reader.read(new FilterInputStream(in) {
          @Override
          public void close() {
            // the reader's end is not the stream's: what it leaves unread is drained below
          }
        });
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        failure = new IllegalStateException("unreadable: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        failure = e;
      }
    });
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    target.write(bytes, offset, length);
    if (piping) {
      try {
        pipe.write(bytes, offset, length);
      } catch (IOException readerGone) {
        piping = false; // the reader failed; result() says why
      }
    }
  }

  /** Ends the input and waits for the reader: what it read, or its failure. */
  T result() throws InterruptedException {
    try {
      pipe.close();
    } catch (IOException ignored) {
      // the reader is gone; its failure is below
    }
    thread.join();
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** Closes the pipe, not the target. */
  @Override
  public void close() throws IOException {
    pipe.close();
  }
}
