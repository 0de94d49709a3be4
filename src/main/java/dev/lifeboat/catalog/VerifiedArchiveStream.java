package dev.lifeboat.catalog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A stored archive's plaintext as it is read: the stored bytes are hashed on the way, and the end of
 * the plaintext is only reported once they had the catalogued size and sha256 (otherwise an
 * {@link IOException} says what differs). A reader must read to the end before it trusts anything.
 */
final class VerifiedArchiveStream extends FilterInputStream {

  private final InputStream stored;
  private final HashingOutputStream hashes;
  private final Backup backup;
  private boolean verified;

  private VerifiedArchiveStream(InputStream plaintext, InputStream stored, HashingOutputStream hashes, Backup backup) {
    super(plaintext);
    this.stored = stored;
    this.hashes = hashes;
    this.backup = backup;
  }

  interface Decryption {
    InputStream decrypt(InputStream ciphertext) throws IOException;
  }

  static InputStream of(InputStream stored, Backup backup, Decryption decryption) throws IOException {
    HashingOutputStream hashes = new HashingOutputStream(OutputStream.nullOutputStream(), List.of());
    InputStream hashed = hashes.hashing(stored);
    try {
      InputStream plaintext = backup.encrypted() ? decryption.decrypt(hashed) : hashed;
      return new VerifiedArchiveStream(plaintext, hashed, hashes, backup);
    } catch (IOException | RuntimeException e) {
      stored.close();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verifyEnd();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verifyEnd();
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      stored.close();
    }
  }

  private void verifyEnd() throws IOException {
    if (verified) {
      return;
    }
    stored.transferTo(OutputStream.nullOutputStream()); // ciphertext after age's last chunk, if any
    String sha256 = hashes.checksums().get(Checksum.SHA256);
    if (hashes.size() != backup.size() || !sha256.equals(backup.sha256())) {
      throw new IOException("archive " + backup.id() + " as stored has " + hashes.size() + " bytes and sha256 " + sha256
          + ", but was catalogued with " + backup.size() + " bytes and sha256 " + backup.sha256()
          + ": the stored copy is damaged or was replaced");
    }
    verified = true;
  }
}
