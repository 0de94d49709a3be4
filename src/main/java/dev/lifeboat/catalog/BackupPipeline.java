package dev.lifeboat.catalog;

import dev.lifeboat.archive.UnsafeArchiveException;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.storage.BackupRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * The one way a backup of any kind gets into the catalogue: a unique id is reserved, the archive
 * is streamed into staging while it is hashed, re-read and verified, stored under its name in one
 * atomic step, and catalogued. Every step can be retried; none ever points a backup id at an
 * archive that another run (or an upload) wrote.
 *
 * <p>A platform's take step calls {@link #reserveId} and {@link #stage} and returns the
 * {@link StagedArchive} as the process variable {@code archive}; its model then uses the generic
 * steps of {@code dev.lifeboat.backup.BackupWorkers} ({@code backup.verify-archive},
 * {@code backup.store-archive}, {@code backup.catalogue-archive}, and {@code backup.discard-archive}
 * on the BPMN error {@code ARCHIVE_CORRUPT}).
 */
@Service
public class BackupPipeline {

  private static final int MAX_PER_SECOND = 1000;

  private final BackupIdReservations reservations;
  private final BackupCatalog catalog;
  private final BackupRepository repository;
  private final AgeEncryption encryption;
  private final Clock clock;

  BackupPipeline(BackupIdReservations reservations, BackupCatalog catalog, BackupRepository repository,
      AgeEncryption encryption, Clock clock) {
    this.reservations = reservations;
    this.catalog = catalog;
    this.repository = repository;
    this.encryption = encryption;
    this.clock = clock;
  }

  /**
   * A backup id ({@code YYYYMMDD-HHMMSS.<source>}, {@code -2}, {@code -3}... when taken) that
   * nobody else gets, also when runs on one source start in the same second. A retried step of
   * the same run gets the id it reserved before for this kind and source, unless that one already
   * holds a stored or catalogued archive.
   */
  public String reserveId(Instant at, String kind, String source, String runId) {
    if (kind == null || kind.isBlank() || source == null || source.isBlank()) {
      throw new IllegalArgumentException("a backup id needs a kind and a source");
    }
    if (runId != null) {
      for (String earlier : reservations.reservedBy(runId, kind, source)) {
        if (!inUse(earlier)) {
          return earlier;
        }
      }
    }
    for (int n = 1; n <= MAX_PER_SECOND; n++) {
      String id = BackupIds.of(at, source, n);
      if (!inUse(id) && reservations.reserve(id, kind, source, runId, clock.instant())) {
        return id;
      }
    }
    throw new IllegalStateException(MAX_PER_SECOND + " backups of " + source + " in one second: no backup id left");
  }

  /** Ids from before reservations existed, and uploaded ones, are in the catalogue or the repository. */
  private boolean inUse(String id) {
    return catalog.exists(id) || repository.exists(BackupIds.archiveName(id, false))
        || repository.exists(BackupIds.archiveName(id, true));
  }

  /**
   * A new staging area for one archive of the run ({@code runId} null for an upload), hashed with
   * sha256 and the {@code extra} checksums as it is written, and encrypted on its way into staging
   * when age recipients are configured.
   */
  public ArchiveStaging stage(String runId, Checksum... extra) throws IOException {
    return stage(runId, encryption.enabled() ? ArchiveStaging.Mode.ENCRYPT : ArchiveStaging.Mode.PLAIN, List.of(extra));
  }

  ArchiveStaging stage(String runId, ArchiveStaging.Mode mode, List<Checksum> extra) throws IOException {
    BackupRepository.Staging staging = repository.stage(runId == null ? "upload" : runId);
    try {
      return new ArchiveStaging(repository, staging, runId, extra, mode, encryption);
    } catch (IOException | RuntimeException e) {
      repository.discard(staging.id());
      throw e;
    }
  }

  /**
   * Re-reads the staged archive: it must still have the size and checksums it was written with,
   * and its platform must have found nothing wrong; otherwise {@link ArchiveCorruptException} says why.
   */
  public void verify(StagedArchive archive) throws IOException {
    if (!archive.problems().isEmpty()) {
      throw new ArchiveCorruptException(String.join("; ", archive.problems()));
    }
    // Ciphertext is checked as stored; its plaintext checksums were taken in the pass that encrypted it.
    Map<Checksum, String> written = new EnumMap<>(Checksum.class);
    written.put(Checksum.SHA256, archive.sha256());
    if (!archive.encrypted()) {
      archive.checksums().forEach((key, value) -> written.put(Checksum.ofKey(key), value));
    }
    Reread found = reread(archive.stagingId(), false, written.keySet(), null);
    if (found.size() != archive.size() || !found.checksums().equals(written)) {
      throw new ArchiveCorruptException("the staged archive changed after it was written: it has "
          + describe(found.size(), found.checksums()) + ", but " + describe(archive.size(), written) + " were written");
    }
  }

  /**
   * Makes the staged archive visible under its backup id in one atomic step and returns where it
   * is. A retry after success finds its own archive there; a different archive under that name is
   * an error, never silently taken for this one.
   */
  public String store(StagedArchive archive) throws IOException {
    String name = archive.archiveName();
    try {
      repository.commit(archive.stagingId(), name);
    } catch (FileAlreadyExistsException e) {
      if (!holds(name, archive)) {
        throw new BackupConflictException("the backup repository already holds a different archive named " + name
            + " (not sha256 " + archive.sha256() + "); this backup was not stored");
      }
      repository.discard(archive.stagingId());
    }
    return repository.describe(name);
  }

  private boolean holds(String name, StagedArchive archive) throws IOException {
    HashingOutputStream stored = new HashingOutputStream(OutputStream.nullOutputStream(), List.of());
    try (InputStream in = repository.open(name)) {
      in.transferTo(stored);
    }
    return stored.size() == archive.size() && stored.checksums().get(Checksum.SHA256).equals(archive.sha256());
  }

  /** Catalogues the stored archive; a retry finds its entry there, an entry for another archive is an error. */
  public Backup catalogue(StagedArchive archive) {
    Optional<Backup> existing = catalog.find(archive.backupId());
    if (existing.isPresent()) {
      if (existing.get().sha256().equals(archive.sha256())) {
        return existing.get();
      }
      throw new BackupConflictException("backup " + archive.backupId() + " is already catalogued for another archive"
          + " (sha256 " + existing.get().sha256() + ", not " + archive.sha256() + ")");
    }
    catalog.add(new Backup(archive.backupId(), archive.kind(), archive.source(), archive.sha256(), archive.size(),
        archive.checksums(), archive.archiveName(), archive.metadata(), archive.notes(),
        archive.createdBy(), archive.runId(), clock.instant(), archive.startedAt(), archive.finishedAt(),
        scheduleOf(archive.createdBy()), null, null, archive.encrypted(), archive.plaintextSha256()));
    return catalog.find(archive.backupId()).orElseThrow(); // as the database keeps it (timestamps in microseconds)
  }

  /** A run started by a schedule has the initiator {@code schedule:<name>}; its backups are scheduled ones. */
  static String scheduleOf(String initiator) {
    return initiator != null && initiator.startsWith(Backup.SCHEDULE_PREFIX)
        ? initiator.substring(Backup.SCHEDULE_PREFIX.length())
        : null;
  }

  /** Removes a staged archive that will not be stored; nothing if there is none. */
  public void discard(StagedArchive archive) {
    if (archive != null) {
      repository.discard(archive.stagingId());
    }
  }

  /**
   * An uploaded archive, hashed as it was received: verified by the inspector of its kind in one
   * more pass that also confirms the staged bytes (decrypting them when they are age ciphertext),
   * then described by what it holds.
   */
  StagedArchive inspectUpload(ArchiveStaging staging, ArchiveInspector inspector, String uploader) throws IOException {
    ArchiveStaging.Written written = staging.written();
    if (written.size() == 0) {
      throw new InvalidBackupException("the upload is empty: send the archive as the request body");
    }
    if (!staging.problems().isEmpty()) {
      throw new InvalidBackupException(
          String.join("; ", staging.problems()) + "; the transfer was damaged, upload again");
    }
    boolean encrypted = staging.mode() != ArchiveStaging.Mode.PLAIN;
    if (encrypted && !encryption.canDecrypt()) {
      throw new InvalidBackupException("an encrypted archive can only be verified by decrypting it, and no age identity"
          + " is configured: set lifeboat.encryption.age-identity-file, or upload where one is");
    }
    Collection<Checksum> plaintextChecksums = staging.mode() == ArchiveStaging.Mode.ENCRYPT
        ? written.checksums().keySet() : List.of(Checksum.SHA256);
    Reread found = reread(staging.id(), encrypted, plaintextChecksums, inspector);
    if (found.size() != written.storedSize() || !found.sha256().equals(written.storedSha256())
        || staging.mode() == ArchiveStaging.Mode.ENCRYPT && !found.plaintextChecksums().equals(written.checksums())) {
      throw new IOException("the staged upload changed while it was verified");
    }
    Map<String, String> extra = new TreeMap<>();
    found.plaintextChecksums().forEach((checksum, value) -> {
      if (checksum != Checksum.SHA256) {
        extra.put(checksum.key(), value);
      }
    });
    return staging.finish(found.description(), uploader, found.plaintextChecksums().get(Checksum.SHA256), extra);
  }

  /**
   * Reads a staged archive once: the stored bytes' size and checksums, and, decrypting them when
   * {@code decrypt}, the plaintext's {@code plaintextChecksums} and what {@code inspector} (if any)
   * finds in it. Without decrypting, {@code plaintextChecksums} are computed over the stored bytes.
   */
  private Reread reread(String stagingId, boolean decrypt, Collection<Checksum> plaintextChecksums,
      ArchiveInspector inspector) throws IOException {
    HashingOutputStream stored = new HashingOutputStream(OutputStream.nullOutputStream(),
        decrypt ? List.of() : plaintextChecksums);
    HashingOutputStream plain = decrypt
        ? new HashingOutputStream(OutputStream.nullOutputStream(), plaintextChecksums) : stored;
    BackupDescription description = null;
    try (InputStream staged = repository.openStaged(stagingId)) {
      InputStream raw = stored.hashing(staged);
      InputStream in = decrypt ? plain.hashing(decrypt(raw)) : raw;
      if (inspector != null) {
        description = inspect(inspector, in);
      }
      in.transferTo(OutputStream.nullOutputStream()); // what the inspector did not need is hashed too
      raw.transferTo(OutputStream.nullOutputStream()); // and any ciphertext after age's last chunk
    }
    Map<Checksum, String> storedChecksums = stored.checksums();
    Map<Checksum, String> plainChecksums = decrypt ? plain.checksums() : storedChecksums;
    return new Reread(stored.size(), storedChecksums, plainChecksums, description);
  }

  private InputStream decrypt(InputStream ciphertext) throws IOException {
    try {
      return encryption.decrypt(ciphertext);
    } catch (IOException e) {
      throw new InvalidBackupException(e.getMessage());
    }
  }

  private static BackupDescription inspect(ArchiveInspector inspector, InputStream in) {
    try {
      return inspector.inspect(in);
    } catch (UnsafeArchiveException e) {
      throw new InvalidBackupException("not a valid " + inspector.kind() + " archive: " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidBackupException("not a valid " + inspector.kind() + " archive (corrupt or truncated): "
          + e.getMessage());
    }
  }

  private static String describe(long size, Map<Checksum, String> checksums) {
    StringBuilder text = new StringBuilder().append(size).append(" bytes");
    checksums.forEach((checksum, value) -> text.append(", ").append(checksum.key()).append(' ').append(value));
    return text.toString();
  }

  private record Reread(long size, Map<Checksum, String> checksums, Map<Checksum, String> plaintextChecksums,
      BackupDescription description) {

    String sha256() {
      return checksums.get(Checksum.SHA256);
    }
  }
}
