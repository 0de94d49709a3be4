package dev.lifeboat.juju;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.ArchiveInspector;
import dev.lifeboat.catalog.BackupDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Makes Juju controller backups uploadable, as {@code juju backups upload} took them: a gzipped tar
 * in Juju's layout. Its metadata.json gives the model and the start time, hence Juju's id
 * {@code YYYYMMDD-HHMMSS.<uuid>}; the checksum Juju would print (base64 SHA-1 of the file) is
 * computed here, since metadata.json inside the archive cannot hold it.
 */
@Component
class JujuArchiveInspector implements ArchiveInspector {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ObjectMapper json;

  JujuArchiveInspector(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public String kind() {
    return JujuArchive.KIND;
  }

  @Override
  public BackupDescription inspect(InputStream archive) throws IOException {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    DigestInputStream in = new DigestInputStream(archive, sha1);
    JujuArchive.Contents contents = JujuArchive.read(nonClosing(in), json);
    in.transferTo(OutputStream.nullOutputStream());
    String id = STAMP.format(contents.started()) + "." + contents.modelUuid();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("jujuBackupId", id);
    metadata.put("checksum", Base64.getEncoder().encodeToString(sha1.digest()));
    metadata.put("checksumFormat", JujuControllerBackupService.CHECKSUM_FORMAT);
    metadata.put("started", contents.started().toString());
    if (contents.finished() != null) {
      metadata.put("finished", contents.finished().toString());
    }
    metadata.put("notes", String.valueOf(contents.metadata().getOrDefault("Notes", "")));
    metadata.put(contents.formatVersion() == 0 ? "environmentUuid" : "modelUuid", contents.modelUuid());
    put(metadata, "controllerUuid", contents.metadata().get("ControllerUUID"));
    put(metadata, "machine", contents.metadata().get("Machine"));
    put(metadata, "hostname", contents.metadata().get("Hostname"));
    put(metadata, "jujuVersion", contents.version());
    put(metadata, "series", contents.metadata().get("Series"));
    put(metadata, "base", contents.metadata().get("Base"));
    put(metadata, "haNodes", contents.metadata().get("HANodes"));
    metadata.put("formatVersion", contents.formatVersion());
    metadata.put("uploaded", true);
    metadata.put("archive", JujuArchive.withoutSecrets(contents.metadata()));
    Object notes = contents.metadata().get("Notes");
    return new BackupDescription(id, JujuArchive.KIND, contents.modelUuid(), metadata,
        notes == null || notes.toString().isBlank() ? null : notes.toString(), contents.started(), contents.finished());
  }

  private static void put(Map<String, Object> metadata, String key, Object value) {
    if (value != null && !value.toString().isBlank()) {
      metadata.put(key, value);
    }
  }

  /** The tar reader closes its stream at the end; the rest of the upload must still be hashed. */
  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }
}
