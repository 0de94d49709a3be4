package dev.lifeboat.catalog;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and verifies an archive of one kind (e.g. an etcd snapshot archive) for the catalogue:
 * checksums inside it, its metadata, and that it holds nothing else.
 */
public interface ArchiveInspector {

  String kind();

  /** Verifies the archive; throws {@link InvalidBackupException} saying what is wrong. */
  BackupDescription inspect(InputStream archive) throws IOException;
}
