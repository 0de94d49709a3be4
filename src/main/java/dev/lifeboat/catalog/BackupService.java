package dev.lifeboat.catalog;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.storage.BackupRepository;
import dev.lifeboat.encryption.AgeEncryption;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
  private final BackupPipeline pipeline;
  private final AgeEncryption encryption;
  private final Map<String, ArchiveInspector> inspectors;
  private final Map<String, BackupAssembler> assemblers;
  private final ApplicationEventPublisher events;

  BackupService(BackupCatalog catalog, BackupRepository repository, BackupPipeline pipeline, AgeEncryption encryption,
      List<ArchiveInspector> inspectors, List<BackupAssembler> assemblers, ApplicationEventPublisher events) {
    this.catalog = catalog;
    this.repository = repository;
    this.pipeline = pipeline;
    this.encryption = encryption;
    this.inspectors = inspectors.stream().collect(Collectors.toMap(ArchiveInspector::kind, Function.identity()));
    this.assemblers = assemblers.stream().collect(Collectors.toMap(BackupAssembler::kind, Function.identity()));
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

  /**
   * The backup as a person downloads it, for {@code actor} (recorded as having downloaded it): the
   * stored archive, or for a kind with a {@link BackupAssembler} the tar it assembles as it is sent.
   */
  public BackupDownload download(String id, String actor) throws IOException {
    Backup backup = get(id);
    BackupAssembler assembler = assemblers.get(backup.kind());
    if (assembler == null) {
      InputStream in = content(id, actor);
      String name = backup.encrypted() ? id + ".tar.gz.age" : id + ".tar.gz";
      return new BackupDownload(name, "application/gzip", backup.size(), backup.sha256(), out -> {
        try (in) {
          in.transferTo(out);
        }
      });
    }
    // The set is assembled from its plaintext manifest archive (decrypted when stored encrypted),
    // read once for the length (a small archive) and again while the set is sent.
    Long length;
    try (InputStream first = openPlaintext(id)) {
      length = assembler.length(backup, first);
    }
    InputStream in = openPlaintext(id);
    events.publishEvent(new BackupDownloaded(id, backup.kind(), actor, backup.sha256(), backup.size()));
    return new BackupDownload(id + ".tar", "application/x-tar", length, null, out -> {
      try (in) {
        assembler.write(backup, in, out);
      }
    });
  }

  /**
   * The one way restores and proofs read an archive: its plaintext, decrypted on the fly when it is
   * stored encrypted, while the stored bytes are hashed; reaching the end fails with an IOException
   * unless they have the catalogued size and sha256, so read it to the end before trusting it.
   * Refuses before reading anything, with {@link UndecryptableBackupException}, what cannot be
   * decrypted here (see {@link #requireReadable}).
   */
  public InputStream openPlaintext(String id) throws IOException {
    Backup backup = get(id);
    requireReadable(backup);
    return VerifiedArchiveStream.of(repository.open(backup.location()), backup, encryption::decrypt);
  }

  /** Refuses, saying what to configure, a backup stored encrypted when no age identity is configured. */
  public void requireReadable(Backup backup) {
    if (backup.encrypted() && !encryption.canDecrypt()) {
      throw new UndecryptableBackupException("backup " + backup.id() + " is stored age-encrypted and this Lifeboat has"
          + " no identity to decrypt it: set lifeboat.encryption.age-identity-file to the key file (AGE-SECRET-KEY-1..."
          + " lines) whose public key it was encrypted to");
    }
  }

  public void delete(String id, String actor) throws IOException {
    delete(id, actor, null, null);
  }

  /**
   * Removes the archive and its entry; {@code rule} says why when retention removes it (the audit
   * event names it), with the prune run's id.
   */
  public void delete(String id, String actor, String rule, String runId) throws IOException {
    Backup backup = get(id);
    repository.delete(backup.location());
    catalog.remove(id);
    log.info("Backup {} deleted by {}{}", id, actor, rule == null ? "" : " (" + rule + ")");
    events.publishEvent(new BackupDeleted(id, backup.kind(), actor, backup.sha256(), backup.size(), backup.source(),
        rule, runId));
  }

  /** The plaintext archive for {@code actor}, who is recorded as having downloaded it (see {@link #openPlaintext}). */
  public InputStream plaintextContent(String id, String actor) throws IOException {
    Backup backup = get(id);
    InputStream in = openPlaintext(id);
    events.publishEvent(new BackupDownloaded(id, backup.kind(), actor, backup.sha256(), backup.size()));
    return in;
  }

  /** The kinds an upload can be, sorted: those with an inspector that verifies them. */
  public List<String> uploadKinds() {
    return inspectors.keySet().stream().sorted().toList();
  }

  /**
   * Stores an uploaded archive after verifying it: the transfer checksum when one is given, then
   * everything the archive's kind can check (its inner checksums and metadata). It goes through the
   * same store and catalogue steps as a run's backup; anything refused leaves nothing behind. An
   * age-encrypted upload is stored as it came and decrypted (with the configured identity) to be
   * inspected; a plain one is encrypted on its way in when recipients are configured.
   */
  public Backup upload(InputStream body, String kind, String expectedSha256, String uploader) throws IOException {
    if (kind == null || kind.isBlank()) {
      throw new InvalidBackupException("name the archive's kind (kind=...; one of: " + String.join(", ", uploadKinds())
          + ")");
    }
    ArchiveInspector inspector = inspectors.get(kind);
    if (inspector == null) {
      throw new InvalidBackupException("unknown backup kind '" + kind + "' (known: "
          + String.join(", ", uploadKinds()) + ")");
    }
    if (expectedSha256 != null && !Sha256.isHex(expectedSha256)) {
      throw new InvalidBackupException("sha256 must be 64 lower-case hex digits, as sha256sum prints it");
    }
    BufferedInputStream in = new BufferedInputStream(body, 1 << 16);
    ArchiveStaging staging = isAgeCiphertext(in)
        ? pipeline.stage(null, ArchiveStaging.Mode.CIPHERTEXT, List.of())
        : pipeline.stage(null);
    try (staging) {
      in.transferTo(staging.out());
      if (expectedSha256 != null) {
        staging.expect(Checksum.SHA256, expectedSha256, "the uploader");
      }
      StagedArchive archive = pipeline.inspectUpload(staging, inspector, uploader);
      if (catalog.exists(archive.backupId())) {
        throw new BackupConflictException("backup " + archive.backupId() + " is already in the catalogue");
      }
      pipeline.store(archive);
      Backup backup = pipeline.catalogue(archive);
      log.info("Backup {} uploaded by {} ({} bytes, sha256 {})", backup.id(), uploader, backup.size(), backup.sha256());
      events.publishEvent(new BackupUploaded(backup.id(), backup.kind(), uploader, backup.sha256(), backup.size()));
      return backup;
    } finally {
      repository.discard(staging.id()); // refused; once stored, nothing is left to discard
    }
  }

  private static final byte[] AGE_HEADER = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);

  private static boolean isAgeCiphertext(BufferedInputStream in) throws IOException {
    in.mark(AGE_HEADER.length);
    byte[] start = in.readNBytes(AGE_HEADER.length);
    in.reset();
    return Arrays.equals(start, AGE_HEADER);
  }
}
