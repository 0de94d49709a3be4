package dev.lifeboat.catalog;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * Passes bytes on while computing their sha256, any other requested checksums and their count,
 * so an archive is hashed in the same pass that writes it.
 */
final class HashingOutputStream extends FilterOutputStream {

  private final Map<Checksum, MessageDigest> digests = new EnumMap<>(Checksum.class);
  private long size;

  HashingOutputStream(OutputStream out, Collection<Checksum> extra) {
    super(out);
    digests.put(Checksum.SHA256, Checksum.SHA256.newDigest());
    extra.forEach(checksum -> digests.computeIfAbsent(checksum, Checksum::newDigest));
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digests.values().forEach(digest -> digest.update((byte) b));
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    for (MessageDigest digest : digests.values()) {
      digest.update(b, off, len);
    }
    size += len;
  }

  long size() {
    return size;
  }

  boolean computes(Checksum checksum) {
    return digests.containsKey(checksum);
  }

  /**
   * {@code in}, with every byte read from it hashed by this stream: reading an archive back
   * yields its checksums. Closing the returned stream leaves {@code in} open.
   */
  InputStream hashing(InputStream in) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          write(b);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          write(b, off, n);
        }
        return n;
      }
    };
  }

  /** The checksums of everything written so far, sha256 among them; call once, at the end. */
  Map<Checksum, String> checksums() {
    Map<Checksum, String> result = new EnumMap<>(Checksum.class);
    digests.forEach((checksum, digest) -> result.put(checksum, checksum.encode(digest.digest())));
    return result;
  }
}
