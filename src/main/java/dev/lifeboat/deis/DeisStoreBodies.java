package dev.lifeboat.deis;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.storage.BackupRepository;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * The parts of Deis store backups, stored once by content in the backup repository under
 * {@code body-sha256-<hex>}: a later backup holding the same bytes references the same body.
 * A body is staged while hashed and appears under its name in one atomic step, so it is never
 * partial; one that is already there is kept and the new copy dropped.
 */
@Component
class DeisStoreBodies {

  /** The bytes written: sha256 (hex, as sha256sum prints it), md5 (hex) and size. */
  record Body(String sha256, String md5, long size) {}

  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private final BackupRepository repository;

  DeisStoreBodies(BackupRepository repository) {
    this.repository = repository;
  }

  static String name(String sha256) {
    if (!Sha256.isHex(sha256)) {
      throw new IllegalArgumentException("not a sha256: " + sha256);
    }
    return "body-sha256-" + sha256;
  }

  boolean holds(String sha256) {
    return repository.exists(name(sha256));
  }

  InputStream open(String sha256) throws IOException {
    return repository.open(name(sha256));
  }

  String describe(String sha256) {
    return repository.describe(name(sha256));
  }

  /** Streams what {@code writer} writes into a body; the run's staging holds it until it is named. */
  Body write(String runId, Writer writer) throws IOException {
    BackupRepository.Staging staging = repository.stage(runId);
    boolean named = false;
    try {
      MessageDigest sha = Sha256.newDigest();
      MessageDigest md5 = md5();
      Counting counting = new Counting(new DigestOutputStream(new DigestOutputStream(staging.out(), sha), md5));
      try (OutputStream out = counting) {
        writer.write(out);
      }
      Body body = new Body(HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()),
          counting.count);
      try {
        repository.commit(staging.id(), name(body.sha256()));
        named = true;
      } catch (FileAlreadyExistsException held) {
        // the same bytes are held already (an earlier backup, or another object with this content)
      }
      return body;
    } finally {
      if (!named) {
        repository.discard(staging.id());
      }
    }
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e);
    }
  }

  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
