package dev.lifeboat.backup;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupProven;
import dev.lifeboat.catalog.BackupService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;

/**
 * Proves a backup restorable and records the result on it ({@code verifiedAt}, {@code proof}):
 * first what every kind gets (the stored archive has the catalogued sha256 and size, and every
 * entry of it reads through to the end), then its kind's {@link BackupProof}, if there is one.
 */
@Service
public class ProofService {

  public static final String PROVEN = "PROVEN";
  public static final String FAILED = "FAILED";

  private final BackupCatalog catalog;
  private final BackupService backups;
  private final Map<String, BackupProof> proofs;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  ProofService(BackupCatalog catalog, BackupService backups, List<BackupProof> proofs,
      ApplicationEventPublisher events, Clock clock) {
    this.catalog = catalog;
    this.backups = backups;
    this.proofs = proofs.stream().collect(Collectors.toMap(BackupProof::kind, Function.identity()));
    this.events = events;
    this.clock = clock;
  }

  /** The kinds with a proof of their own (the rest get the checksum and read-through), sorted. */
  public List<String> provenKinds() {
    return proofs.keySet().stream().sorted().toList();
  }

  /** The backup a proof run takes: {@code backupId}, or the newest of {@code kind} and {@code source}. */
  public Backup choose(String backupId, String kind, String source) {
    if (backupId != null && !backupId.isBlank()) {
      return backups.get(backupId);
    }
    if (kind == null || kind.isBlank() || source == null || source.isBlank()) {
      throw new IllegalArgumentException("name the backup to prove: backupId, or kind and source for the newest of a"
          + " source");
    }
    return catalog.listSource(kind, source).stream().max(Comparator.comparing(Backup::takenAt))
        .orElseThrow(() -> new BackupNotFoundException(kind + " backups of " + source));
  }

  /**
   * Proves the backup and records the result; throws {@link ProofFailedException} (after recording
   * the failure) when it does not hold.
   */
  public Map<String, Object> prove(String backupId, String runId, Consumer<String> messages) throws Exception {
    Backup backup = backups.get(backupId);
    Path scratch = Files.createTempDirectory("lifeboat-proof-");
    try {
      Map<String, Object> proof = new LinkedHashMap<>();
      proof.put("status", PROVEN);
      proof.put("runId", runId);
      Map<String, Object> facts = new LinkedHashMap<>(readThrough(backup));
      String method = "stored archive has its catalogued sha256 and size; every entry read through";
      BackupProof kindProof = proofs.get(backup.kind());
      if (kindProof != null) {
        messages.accept("archive intact (" + facts.get("entries") + " entries); proving it as a " + backup.kind());
        BackupProof.Result result = kindProof.prove(backup, scratch(scratch, backup, messages));
        method = method + "; " + result.method();
        facts.putAll(result.facts());
      }
      Instant at = clock.instant();
      proof.put("at", at.toString());
      proof.put("method", method);
      proof.put("facts", facts);
      catalog.recordProof(backupId, proof, at);
      events.publishEvent(new BackupProven(backupId, backup.kind(), backup.source(), runId, PROVEN, proof));
      return proof;
    } catch (ProofFailedException e) {
      Map<String, Object> proof = new LinkedHashMap<>();
      proof.put("status", FAILED);
      proof.put("runId", runId);
      proof.put("at", clock.instant().toString());
      proof.put("reason", e.getMessage());
      catalog.recordProof(backupId, proof, null);
      events.publishEvent(new BackupProven(backupId, backup.kind(), backup.source(), runId, FAILED, proof));
      throw e;
    } finally {
      FileSystemUtils.deleteRecursively(scratch);
    }
  }

  private BackupProof.Scratch scratch(Path directory, Backup backup, Consumer<String> messages) {
    return new BackupProof.Scratch() {
      @Override
      public Path directory() {
        return directory;
      }

      @Override
      public InputStream openArchive() throws IOException {
        return backups.openPlaintext(backup.id());
      }

      @Override
      public void message(String message) {
        messages.accept(message);
      }
    };
  }

  /**
   * The tar.gz reads through to its end, and the stored bytes (ciphertext when encrypted) hash to
   * the catalogued sha256 and size: {@link dev.lifeboat.catalog.BackupService#openPlaintext} checks
   * that when the stream ends.
   */
  private Map<String, Object> readThrough(Backup backup) throws IOException {
    long entries = 0;
    long bytes = 0;
    try (InputStream plain = backups.openPlaintext(backup.id())) {
      try {
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(plain), 1 << 16);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          entries++;
          bytes += tar.transferTo(OutputStream.nullOutputStream());
        }
        plain.transferTo(OutputStream.nullOutputStream()); // padding after the tar's end, and the stored hash check
      } catch (IOException | IllegalArgumentException e) {
        throw new ProofFailedException("the archive does not read through: " + e.getMessage(), e);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ProofFailedException("the stored archive is missing: " + e.getMessage(), e);
    }
    if (entries == 0) {
      throw new ProofFailedException("the archive holds no entry");
    }
    return Map.of("sha256", backup.sha256(), "size", backup.size(), "entries", entries, "contentBytes", bytes);
  }

}
