package dev.lifeboat.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a gzip-compressed tar archive in one pass and computes the sha256 of the archive bytes as
 * they leave, so the checksum never needs a second read. Entries are streamed; their size must be
 * known when they start (tar headers carry it).
 */
public final class ArchiveWriter implements AutoCloseable {

  private final CountingDigestStream sink;
  private final TarArchiveOutputStream tar;
  private boolean closed;

  public ArchiveWriter(OutputStream target, int compressionLevel) throws IOException {
    this.sink = new CountingDigestStream(target);
    GzipParameters parameters = new GzipParameters();
    parameters.setCompressionLevel(compressionLevel);
    this.tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(sink, parameters), 1 << 16);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Starts an entry of exactly {@code size} bytes; write them to the returned stream, then close it. */
  public OutputStream entry(String name, long size) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(ArchivePaths.checkedEntryName(name));
    entry.setSize(size);
    entry.setMode(0100640);
    tar.putArchiveEntry(entry);
    return new FilterOutputStream(tar) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        tar.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        tar.closeArchiveEntry();
      }
    };
  }

  public void entry(String name, byte[] content) throws IOException {
    try (OutputStream out = entry(name, content.length)) {
      out.write(content);
    }
  }

  /** Finishes the archive and returns its checksum and size; closes the target stream. */
  public Digest finish() throws IOException {
    closed = true;
    tar.finish();
    tar.close();
    return new Digest(sink.hex(), sink.count);
  }

  /** Adds a last, small entry and finishes the archive. */
  public Digest finishWith(String name, byte[] content) throws IOException {
    entry(name, content);
    return finish();
  }

  /** Abandons an archive that was not finished: releases the target without completing it. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      sink.close();
    }
  }

  /** sha256 (hex) and size in bytes of what was written. */
  public record Digest(String sha256, long size) {}

  private static final class CountingDigestStream extends DigestOutputStream {
    private long count;

    CountingDigestStream(OutputStream out) {
      super(out, Sha256.newDigest());
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      super.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      super.write(b);
      count++;
    }

    String hex() {
      MessageDigest digest = getMessageDigest();
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
