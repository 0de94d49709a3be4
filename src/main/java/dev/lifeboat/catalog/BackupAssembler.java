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
}
