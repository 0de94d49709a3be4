package dev.lifeboat.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * For a kind whose catalogued archive is a manifest of parts kept elsewhere (bodies stored once by
 * content and shared between backups): its download is a plain tar assembled while it is sent.
 */
public interface BackupAssembler {

  String kind();

  /** Writes the whole backup as a tar to {@code out}; {@code archive} is its catalogued archive. */
  void write(Backup backup, InputStream archive, OutputStream out) throws IOException;

  /**
   * The exact number of bytes {@link #write} will send for this archive, when it can be known
   * before (it is sent as Content-Length); null when not.
   */
  default Long length(Backup backup, InputStream archive) throws IOException {
    return null;
  }
}
