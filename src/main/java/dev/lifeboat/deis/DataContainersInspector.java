package dev.lifeboat.deis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.ArchiveInspector;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupIds;
import dev.lifeboat.catalog.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Verifies an uploaded data-container archive: metadata.json and exactly the parts it lists, each with its sha256. */
@Component
class DataContainersInspector implements ArchiveInspector {

  private static final int MAX_METADATA = 1 << 20;

  private final ObjectMapper json;

  DataContainersInspector(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public String kind() {
    return ContainerArchive.KIND;
  }

  @Override
  public BackupDescription inspect(InputStream archive) throws IOException {
    Map<String, String> parts = new LinkedHashMap<>();
    byte[] metadataBytes = null;
    try (ArchiveReader reader = new ArchiveReader(archive)) {
      for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
        if (entry.name().equals(ContainerArchive.METADATA_ENTRY)) {
          if (entry.size() > MAX_METADATA) {
            throw new InvalidBackupException("metadata.json is larger than 1 MiB");
          }
          metadataBytes = entry.content().readNBytes(MAX_METADATA);
        } else if (parts.put(entry.name(), Sha256.of(entry.content())) != null) {
          throw new InvalidBackupException("the archive holds " + entry.name() + " twice");
        }
      }
    }
    if (metadataBytes == null) {
      throw new InvalidBackupException("the archive has no metadata.json");
    }
    ContainerArchive metadata;
    try {
      metadata = json.readValue(metadataBytes, ContainerArchive.class);
    } catch (IOException e) {
      throw new InvalidBackupException("metadata.json is not valid: " + e.getMessage());
    }
    if (!ContainerArchive.FORMAT.equals(metadata.format()) || !BackupIds.isValid(metadata.backupId())
        || metadata.containers() == null) {
      throw new InvalidBackupException("metadata.json is not a " + ContainerArchive.FORMAT + " description with a"
          + " valid backupId");
    }
    Map<String, String> listed = new LinkedHashMap<>();
    metadata.containers().forEach(part -> listed.put(part.entry(), part.sha256()));
    if (!listed.equals(parts)) {
      throw new InvalidBackupException("the parts in the archive " + parts.keySet() + " do not match metadata.json "
          + listed.keySet() + " (names or sha256): the archive was altered");
    }
    return new BackupDescription(metadata.backupId(), ContainerArchive.KIND, metadata.host(),
        json.convertValue(metadata, new TypeReference<>() {}), metadata.notes(), metadata.startedAt(),
        metadata.finishedAt());
  }
}
