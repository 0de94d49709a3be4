package dev.lifeboat.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a gzip-compressed tar archive in one pass. Entries are streamed; their size must be known
 * when they start (tar headers carry it). Compression runs on every core
 * ({@link ParallelGzipOutputStream}); checksums of the archive are the target stream's business
 * (the backup pipeline's staging hashes what passes).
 */
public final class ArchiveWriter implements AutoCloseable {

  private final OutputStream target;
  private final ParallelGzipOutputStream gzip;
  private final TarArchiveOutputStream tar;
  private boolean closed;

  /** Compresses at gzip {@code compressionLevel} with one thread per available processor. */
  public ArchiveWriter(OutputStream target, int compressionLevel) throws IOException {
    this(target, compressionLevel, 0);
  }

  /** {@code threads} ≤ 0: one per available processor. */
  public ArchiveWriter(OutputStream target, int compressionLevel, int threads) throws IOException {
    this.target = target;
    this.gzip = new ParallelGzipOutputStream(target, compressionLevel, threads);
    this.tar = new TarArchiveOutputStream(gzip, 1 << 16);
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

  /** Finishes the archive; closes the target stream. */
  public void finish() throws IOException {
    closed = true;
    tar.finish();
    tar.close();
  }

  /** Adds a last, small entry and finishes the archive. */
  public void finishWith(String name, byte[] content) throws IOException {
    entry(name, content);
    finish();
  }

  /** Abandons an archive that was not finished: releases the target without completing it. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      gzip.abandon();
      target.close();
    }
  }
}
