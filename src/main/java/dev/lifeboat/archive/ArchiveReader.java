package dev.lifeboat.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Reads a gzip-compressed tar archive entry by entry; every entry name is checked first. */
public final class ArchiveReader implements AutoCloseable {

  private final TarArchiveInputStream tar;

  public ArchiveReader(InputStream in) throws IOException {
    try {
      this.tar = new TarArchiveInputStream(new GzipCompressorInputStream(in), 1 << 16);
    } catch (ZipException | IllegalArgumentException e) {
      throw new UnsafeArchiveException("not a gzip-compressed archive: " + e.getMessage());
    }
  }

  /** The next regular-file entry, or null at the end; the stream reads that entry's bytes. */
  public Entry next() throws IOException {
    TarArchiveEntry entry;
    try {
      entry = tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      throw new UnsafeArchiveException("corrupt archive: " + e.getMessage());
    }
    if (entry == null) {
      return null;
    }
    String name = ArchivePaths.checkedEntryName(entry.getName());
    if (!entry.isFile()) {
      throw new UnsafeArchiveException("entry '" + name + "' is not a regular file (links and devices are refused)");
    }
    return new Entry(name, entry.getSize(), tar);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  public record Entry(String name, long size, InputStream content) {}
}
