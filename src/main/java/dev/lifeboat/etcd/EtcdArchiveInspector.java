package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.catalog.ArchiveInspector;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupIds;
import dev.lifeboat.catalog.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/**
 * Verifies an etcd snapshot archive: exactly snapshot.db and metadata.json, etcd's own hash inside
 * the snapshot matches its content, and the metadata describes this very snapshot.
 */
@Component
class EtcdArchiveInspector implements ArchiveInspector {

  private static final int MAX_METADATA = 1 << 20;

  private final ObjectMapper json;

  EtcdArchiveInspector(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public String kind() {
    return SnapshotMetadata.KIND;
  }

  @Override
  public BackupDescription inspect(InputStream archive) throws IOException {
    EtcdSnapshotDigest.Result snapshot = null;
    SnapshotMetadata metadata = null;
    byte[] metadataBytes = null;
    try (ArchiveReader reader = new ArchiveReader(archive)) {
      for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
        switch (entry.name()) {
          case SnapshotMetadata.SNAPSHOT_ENTRY -> {
            if (snapshot != null) {
              throw new InvalidBackupException("the archive holds snapshot.db twice");
            }
            snapshot = digest(entry);
          }
          case SnapshotMetadata.METADATA_ENTRY -> {
            if (metadataBytes != null) {
              throw new InvalidBackupException("the archive holds metadata.json twice");
            }
            if (entry.size() > MAX_METADATA) {
              throw new InvalidBackupException("metadata.json is larger than 1 MiB");
            }
            metadataBytes = entry.content().readNBytes(MAX_METADATA);
          }
          default -> throw new InvalidBackupException(
              "unexpected entry '" + entry.name() + "': an etcd snapshot archive holds only snapshot.db and metadata.json");
        }
      }
    }
    if (snapshot == null) {
      throw new InvalidBackupException("the archive has no snapshot.db");
    }
    if (metadataBytes == null) {
      throw new InvalidBackupException("the archive has no metadata.json");
    }
    if (!snapshot.hasHash()) {
      throw new InvalidBackupException("snapshot.db carries no etcd integrity hash (a copied database file, not a"
          + " snapshot from 'etcdctl snapshot save' or the Maintenance API); it cannot be verified");
    }
    if (!snapshot.valid()) {
      throw new InvalidBackupException("snapshot.db is corrupt: its content hashes to " + snapshot.computedHash()
          + " but etcd recorded " + snapshot.embeddedHash());
    }
    try {
      metadata = json.readValue(metadataBytes, SnapshotMetadata.class);
    } catch (IOException e) {
      throw new InvalidBackupException("metadata.json is not valid: " + e.getMessage());
    }
    check(metadata, snapshot);
    return EtcdBackups.describe(metadata, json);
  }

  private static EtcdSnapshotDigest.Result digest(ArchiveReader.Entry entry) throws IOException {
    EtcdSnapshotDigest digest = new EtcdSnapshotDigest(entry.size());
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = entry.content().read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return digest.finish();
  }

  private static void check(SnapshotMetadata metadata, EtcdSnapshotDigest.Result snapshot) {
    if (!SnapshotMetadata.FORMAT.equals(metadata.format())) {
      throw new InvalidBackupException("metadata.json has format '" + metadata.format() + "', expected "
          + SnapshotMetadata.FORMAT);
    }
    if (!BackupIds.isValid(metadata.backupId())) {
      throw new InvalidBackupException("metadata.json has no valid backupId (YYYYMMDD-HHMMSS.<cluster-id>)");
    }
    if (metadata.snapshot() == null || metadata.snapshot().size() != snapshot.size()
        || !snapshot.fileSha256().equals(metadata.snapshot().sha256())) {
      throw new InvalidBackupException("metadata.json does not describe this snapshot.db (size or sha256 differ):"
          + " the archive was altered");
    }
  }
}
