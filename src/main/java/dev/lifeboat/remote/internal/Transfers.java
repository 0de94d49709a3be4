package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.RemoteException;
import dev.lifeboat.remote.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

final class Transfers {

  private Transfers() {}

  /** Copies exactly {@code size} bytes, reporting progress; a shorter source is an error, not a short file. */
  static void copy(InputStream in, OutputStream out, long size, String path, TransferListener progress)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long done = 0;
    while (done < size) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - done));
      if (n < 0) {
        throw new RemoteException("the source ended after " + done + " of " + size + " bytes while writing " + path);
      }
      out.write(buffer, 0, n);
      done += n;
      progress.transferred(done);
    }
  }

  /** Copies until the source ends, reporting progress; returns the bytes copied. */
  static long copyAll(InputStream in, OutputStream out, TransferListener progress) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long done = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
      done += n;
      progress.transferred(done);
    }
    return done;
  }
}
