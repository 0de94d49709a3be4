package dev.lifeboat.etcd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupIds;
import dev.lifeboat.runbook.StepOutcomeException;
import dev.lifeboat.storage.BackupRepository;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.springframework.stereotype.Service;

/** Verifies, stores and catalogues a staged snapshot archive, or discards it. */
@Service
class EtcdBackupStore {

  static final String SNAPSHOT_CORRUPT = "SNAPSHOT_CORRUPT";

  private final BackupRepository repository;
  private final BackupCatalog catalog;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdBackupStore(BackupRepository repository, BackupCatalog catalog, ObjectMapper json, Clock clock) {
    this.repository = repository;
    this.catalog = catalog;
    this.json = json;
    this.clock = clock;
  }

  /** etcd's hash matched while streaming, and the staged file is byte for byte what was hashed. */
  void verifyStaged(StagedSnapshot snapshot) throws IOException {
    if (!snapshot.etcdHashValid()) {
      throw new StepOutcomeException(SNAPSHOT_CORRUPT, "the snapshot's content does not match the sha256 etcd"
          + " appended to it (" + snapshot.metadata().snapshot().etcdHash() + "): the stream was damaged");
    }
    long size = repository.stagedSize(snapshot.stagingId());
    String sha256;
    try (InputStream in = repository.openStaged(snapshot.stagingId())) {
      sha256 = Sha256.of(in);
    }
    if (size != snapshot.size() || !sha256.equals(snapshot.sha256())) {
      throw new StepOutcomeException(SNAPSHOT_CORRUPT, "the staged archive changed after it was written: sha256 "
          + sha256 + " (" + size + " bytes), expected " + snapshot.sha256() + " (" + snapshot.size() + " bytes)");
    }
  }

  /** Makes the archive visible under its backup id; a retry after success finds it there. */
  String commit(StagedSnapshot snapshot) throws IOException {
    String name = BackupIds.archiveName(snapshot.backupId());
    if (!repository.exists(name)) {
      repository.commit(snapshot.stagingId(), name);
    }
    return repository.describe(name);
  }

  void catalogue(StagedSnapshot snapshot) {
    if (catalog.exists(snapshot.backupId())) {
      return; // a retried step: the entry was written before the job completed
    }
    SnapshotMetadata metadata = snapshot.metadata();
    catalog.add(new Backup(snapshot.backupId(), SnapshotMetadata.KIND, EtcdBackups.source(metadata),
        snapshot.sha256(), snapshot.size(), BackupIds.archiveName(snapshot.backupId()),
        json.convertValue(metadata, new TypeReference<>() {}), metadata.notes(), metadata.createdBy(),
        metadata.runId(), clock.instant(), metadata.startedAt(), metadata.finishedAt()));
  }

  void discard(StagedSnapshot snapshot) {
    if (snapshot != null) {
      repository.discard(snapshot.stagingId());
    }
  }
}
