package dev.lifeboat.juju;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchivePaths;
import dev.lifeboat.catalog.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A Juju controller backup as Juju writes it (state/backups/archive.go): a gzipped tar whose only
 * top-level directory is {@code juju-backup/}, holding {@code metadata.json}, {@code root.tar} and
 * the mongodump under {@code dump/}. {@link #read} checks that layout and returns metadata.json.
 */
final class JujuArchive {

  static final String KIND = "juju-controller-backup";
  private static final String TOP = "juju-backup/";
  private static final int MAX_METADATA = 1 << 20;
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** metadata.json as Juju wrote it (Go field names), and what the archive holds. */
  record Contents(Map<String, Object> metadata, int files, long bytes) {

    /** v1 (2.x/3.x) has FormatVersion; v0 (1.x) has none. */
    int formatVersion() {
      Object version = metadata.get("FormatVersion");
      return version instanceof Number n ? n.intValue() : 0;
    }

    String modelUuid() {
      Object uuid = metadata.containsKey("ModelUUID") ? metadata.get("ModelUUID") : metadata.get("Environment");
      return uuid == null || uuid.toString().isBlank() ? null : uuid.toString();
    }

    Instant started() {
      return time("Started");
    }

    Instant finished() {
      return time("Finished");
    }

    String version() {
      Object version = metadata.get("Version");
      return version == null ? null : version.toString();
    }

    /** Go's zero time means "not set" (Finished is written before the archive exists). */
    private Instant time(String field) {
      Object value = metadata.get(field);
      if (value == null) {
        return null;
      }
      try {
        Instant at = Instant.parse(value.toString());
        return at.isBefore(Instant.parse("0002-01-01T00:00:00Z")) ? null : at;
      } catch (DateTimeParseException e) {
        throw new InvalidBackupException("metadata.json has " + field + " '" + value + "', not a time");
      }
    }
  }

  private JujuArchive() {}

  /** Reads the whole archive; anything not in Juju's layout is refused with the reason. */
  static Contents read(InputStream in, ObjectMapper json) throws IOException {
    TarArchiveInputStream tar;
    try {
      tar = new TarArchiveInputStream(new GzipCompressorInputStream(in), 1 << 16);
    } catch (ZipException | IllegalArgumentException e) {
      throw new InvalidBackupException("not a gzipped tar file (" + e.getMessage() + "); a Juju backup is a .tar.gz");
    }
    byte[] metadata = null;
    boolean rootTar = false;
    boolean dump = false;
    int files = 0;
    long bytes = 0;
    try (tar) {
      for (TarArchiveEntry entry; (entry = next(tar)) != null; ) {
        String name = ArchivePaths.checkedEntryName(entry.getName());
        if (!name.startsWith(TOP) && !name.equals("juju-backup")) {
          throw new InvalidBackupException("entry '" + name + "' is outside juju-backup/: not a Juju backup archive");
        }
        if (entry.isDirectory()) {
          dump |= name.equals(TOP + "dump/") || name.equals(TOP + "dump");
          continue;
        }
        if (!entry.isFile()) {
          throw new InvalidBackupException("entry '" + name + "' is not a regular file or directory");
        }
        files++;
        bytes += entry.getSize();
        String inside = name.substring(TOP.length());
        if (inside.equals("metadata.json")) {
          if (entry.getSize() > MAX_METADATA) {
            throw new InvalidBackupException("juju-backup/metadata.json is larger than 1 MiB");
          }
          metadata = tar.readNBytes(MAX_METADATA);
        } else if (inside.equals("root.tar")) {
          rootTar = true;
        } else if (inside.startsWith("dump/")) {
          dump = true;
        }
      }
    }
    if (metadata == null) {
      throw new InvalidBackupException("the archive has no juju-backup/metadata.json: not a Juju backup archive");
    }
    if (!rootTar) {
      throw new InvalidBackupException("the archive has no juju-backup/root.tar (the controller's files)");
    }
    if (!dump) {
      throw new InvalidBackupException("the archive has no juju-backup/dump/ (the database dump)");
    }
    Map<String, Object> parsed;
    try {
      parsed = json.readValue(metadata, MAP);
    } catch (IOException e) {
      throw new InvalidBackupException("juju-backup/metadata.json is not valid JSON: " + e.getMessage());
    }
    Contents contents = new Contents(parsed, files, bytes);
    if (contents.formatVersion() > 2) {
      throw new InvalidBackupException("juju-backup/metadata.json has format version " + contents.formatVersion()
          + "; Lifeboat reads formats 0 to 2");
    }
    if (contents.modelUuid() == null || contents.started() == null) {
      throw new InvalidBackupException("juju-backup/metadata.json names no model/environment uuid or no Started time");
    }
    return contents;
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IllegalArgumentException e) {
      throw new InvalidBackupException("corrupt archive: " + e.getMessage());
    }
  }

  /** What the catalogue keeps of metadata.json: the archive's own facts, never secrets (2.x CACert, CAPrivateKey). */
  static Map<String, Object> withoutSecrets(Map<String, Object> metadata) {
    Map<String, Object> kept = new LinkedHashMap<>(metadata);
    kept.remove("CACert");
    kept.remove("CAPrivateKey");
    return kept;
  }
}
