package dev.lifeboat.catalog;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.archive.UnsafeArchiveException;
import dev.lifeboat.storage.BackupRepository;
import dev.lifeboat.storage.BackupRepository.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Catalogue operations that touch archives: upload (verified), download, delete. */
@Service
public class BackupService {

  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private final BackupCatalog catalog;
  private final BackupRepository repository;
  private final Map<String, ArchiveInspector> inspectors;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  BackupService(BackupCatalog catalog, BackupRepository repository, List<ArchiveInspector> inspectors, Clock clock,
      ApplicationEventPublisher events) {
    this.catalog = catalog;
    this.repository = repository;
    this.inspectors = inspectors.stream().collect(Collectors.toMap(ArchiveInspector::kind, Function.identity()));
    this.clock = clock;
    this.events = events;
  }

  public Backup get(String id) {
    return catalog.find(id).orElseThrow(() -> new BackupNotFoundException(id));
  }

  /** Opens the archive for {@code actor}, who is recorded as having downloaded it. */
  public InputStream content(String id, String actor) throws IOException {
    Backup backup = get(id);
    InputStream in = repository.open(backup.location());
    events.publishEvent(new BackupDownloaded(id, backup.kind(), actor, backup.sha256(), backup.size()));
    return in;
  }

  public void delete(String id, String actor) throws IOException {
    Backup backup = get(id);
    repository.delete(backup.location());
    catalog.remove(id);
    log.info("Backup {} deleted by {}", id, actor);
    events.publishEvent(new BackupDeleted(id, backup.kind(), actor, backup.sha256(), backup.size()));
  }

  /**
   * Stores an uploaded archive after verifying it: the transfer checksum when one is given, then
   * everything the archive's kind can check (its inner checksums and metadata). Anything refused
   * leaves nothing behind.
   */
  public Backup upload(InputStream body, String kind, String expectedSha256, String uploader) throws IOException {
    ArchiveInspector inspector = inspectors.get(kind);
    if (inspector == null) {
      throw new InvalidBackupException("unknown backup kind '" + kind + "' (known: "
          + String.join(", ", inspectors.keySet()) + ")");
    }
    if (expectedSha256 != null && !Sha256.isHex(expectedSha256)) {
      throw new InvalidBackupException("sha256 must be 64 lower-case hex digits, as sha256sum prints it");
    }
    Staging staging = repository.stage("upload-" + UUID.randomUUID());
    boolean committed = false;
    try {
      MessageDigest digest = Sha256.newDigest();
      long size;
      try (OutputStream out = staging.out(); InputStream in = new DigestInputStream(body, digest)) {
        size = in.transferTo(out);
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      if (size == 0) {
        throw new InvalidBackupException("the upload is empty: send the archive as the request body");
      }
      if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
        throw new InvalidBackupException("checksum mismatch: the upload has sha256 " + sha256
            + " but " + expectedSha256 + " was expected; the transfer was damaged, upload again");
      }
      InspectedArchive inspected;
      try (InputStream staged = repository.openStaged(staging.id())) {
        inspected = inspector.inspect(staged);
      } catch (UnsafeArchiveException e) {
        throw new InvalidBackupException("not a valid " + kind + " archive: " + e.getMessage());
      } catch (IOException e) {
        throw new InvalidBackupException("not a valid " + kind + " archive (corrupt or truncated): " + e.getMessage());
      }
      if (catalog.exists(inspected.backupId())) {
        throw new BackupConflictException("backup " + inspected.backupId() + " is already in the catalogue");
      }
      String location = repository.commit(staging.id(), BackupIds.archiveName(inspected.backupId()));
      committed = true;
      Backup backup = new Backup(inspected.backupId(), inspected.kind(), inspected.source(), sha256, size, location,
          inspected.metadata(), inspected.notes(), uploader, null, clock.instant(), inspected.startedAt(),
          inspected.finishedAt());
      catalog.add(backup);
      log.info("Backup {} uploaded by {} ({} bytes, sha256 {})", backup.id(), uploader, size, sha256);
      events.publishEvent(new BackupUploaded(backup.id(), backup.kind(), uploader, sha256, size));
      return backup;
    } finally {
      if (!committed) {
        repository.discard(staging.id());
      }
    }
  }
}
