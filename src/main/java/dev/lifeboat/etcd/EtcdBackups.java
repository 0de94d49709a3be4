package dev.lifeboat.etcd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.BackupDescription;

/** How an etcd snapshot appears in the catalogue: its source is the cluster id. */
final class EtcdBackups {

  private EtcdBackups() {}

  static BackupDescription describe(SnapshotMetadata metadata, ObjectMapper json) {
    return new BackupDescription(metadata.backupId(), SnapshotMetadata.KIND, metadata.clusterId(),
        json.convertValue(metadata, new TypeReference<>() {}), metadata.notes(), metadata.startedAt(),
        metadata.finishedAt());
  }
}
