package dev.lifeboat.deis;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupDeleted;
import dev.lifeboat.catalog.BackupPartsRemoved;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.storage.BackupRepository;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Garbage collection of bodies: after a Deis store set is deleted (through the API or by
 * retention), every body that no catalogued set references is removed, unless a backup in progress
 * may rely on it.
 *
 * <p>The race it must not lose: a run in progress reuses a body that the newest set held (the copy
 * step checks {@link DeisStoreBodies#holds}, which claims it) and that set is deleted before the
 * run catalogues its own. No catalogued set references the body at that moment, yet the run will.
 * Hence the rule: a body is removed only when its last claim (write or reuse, by any instance) is
 * older than the start of every deis-store backup in progress and older than
 * {@code lifeboat.deis.body-grace}; and only under the lock of its claim (see {@link BodyLedger}).
 * A run records its set's bodies before its set is catalogued and checks then, after claiming
 * them again, that each is still there; a resumed run does the same.
 *
 * <p>Also: when age encryption is on, a plain copy of a body whose encrypted copy is stored is
 * removed (the sets that referenced the plain copy read the encrypted one).
 */
@Component
class DeisStoreBodySweep {

  private static final Logger log = LoggerFactory.getLogger(DeisStoreBodySweep.class);

  /** The bodies of a catalogued set, from its manifest (for sets catalogued before references were recorded). */
  @FunctionalInterface
  interface Manifests {
    Collection<String> bodies(String backupId) throws IOException;
  }

  /** What one sweep did. */
  record Result(int removed, long bytes, int kept) {}

  private final BackupRepository repository;
  private final BodyLedger ledger;
  private final Manifests manifests;
  private final boolean encrypting;
  private final Duration grace;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  @Autowired
  DeisStoreBodySweep(BackupRepository repository, BodyLedger ledger, BackupCatalog catalog,
      DeisStoreBackupService backups, AgeEncryption encryption, DeisProperties properties,
      Clock clock, ApplicationEventPublisher events) {
    this(repository, ledger, id -> {
      Backup backup = catalog.find(id).orElse(null);
      return backup == null ? List.of() : bodies(backups.manifest(backup));
    }, encryption.enabled(), properties.bodyGrace(), clock, events);
  }

  DeisStoreBodySweep(BackupRepository repository, BodyLedger ledger, Manifests manifests, boolean encrypting,
      Duration grace, Clock clock, ApplicationEventPublisher events) {
    this.repository = repository;
    this.ledger = ledger;
    this.manifests = manifests;
    this.encrypting = encrypting;
    this.grace = grace;
    this.clock = clock;
    this.events = events;
  }

  /** The body names a set references: every object, the volume's tar and the dump. */
  static Set<String> bodies(DeisStoreManifest manifest) {
    Set<String> shas = new LinkedHashSet<>();
    manifest.objects().forEach(o -> shas.add(o.sha256()));
    shas.add(manifest.storeVolume().sha256());
    shas.add(manifest.database().sha256());
    return shas;
  }

  /**
   * After a set's deletion: sweeps and records what it removed. A failure is logged and recorded,
   * never thrown: the deletion itself succeeded, and the next deletion's sweep tries again.
   */
  @EventListener
  void on(BackupDeleted deleted) {
    if (!DeisStoreManifest.KIND.equals(deleted.kind())) {
      return;
    }
    Result result = new Result(0, 0, 0);
    String problem = null;
    try {
      ledger.forget(deleted.backupId());
      result = sweep();
    } catch (IOException | RuntimeException e) {
      problem = e.getMessage();
      log.warn("Sweeping the bodies of Deis store sets after deleting {} stopped: {}", deleted.backupId(),
          e.toString());
    }
    log.info("Deleting {} removed {} unreferenced bodies ({} bytes); {} kept for backups in progress",
        deleted.backupId(), result.removed(), result.bytes(), result.kept());
    events.publishEvent(new BackupPartsRemoved(deleted.backupId(), deleted.kind(), deleted.actor(), deleted.runId(),
        result.removed(), result.bytes(), result.kept(), problem));
  }

  /** Removes every body no catalogued set references and no backup in progress may rely on. */
  Result sweep() throws IOException {
    // In this order: what is in progress first, then what is catalogued. A run that catalogues in
    // between was in progress when the cutoff was taken, so its claims are younger than the cutoff.
    Instant cutoff = clock.instant().minus(grace);
    Instant oldest = ledger.oldestInProgress(DeisStoreManifest.KIND).orElse(null);
    if (oldest != null && oldest.isBefore(cutoff)) {
      cutoff = oldest;
    }
    for (String id : ledger.unrecorded(DeisStoreManifest.KIND)) {
      // Catalogued before references were recorded: read its manifest once (refuses, and so stops
      // the sweep before it removes anything, when the manifest cannot be decrypted here).
      Set<String> names = new LinkedHashSet<>();
      manifests.bodies(id).forEach(sha -> names.add(DeisStoreBodies.name(sha)));
      ledger.reference(id, names);
    }
    Set<String> referenced = ledger.referenced();
    Map<String, List<BackupRepository.Stored>> stored = new HashMap<>();
    for (BackupRepository.Stored file : repository.list(DeisStoreBodies.PREFIX)) {
      String body = DeisStoreBodies.bodyOf(file.name());
      if (body != null) {
        stored.computeIfAbsent(body, b -> new ArrayList<>()).add(file);
      }
    }
    int removed = 0;
    long bytes = 0;
    int kept = 0;
    for (Map.Entry<String, List<BackupRepository.Stored>> entry : stored.entrySet()) {
      String body = entry.getKey();
      List<BackupRepository.Stored> files = entry.getValue();
      if (referenced.contains(body)) {
        if (encrypting && files.size() == 2) {
          BackupRepository.Stored plain = files.stream().filter(f -> f.name().equals(body)).findFirst().orElseThrow();
          repository.delete(plain.name()); // the encrypted copy holds the same bytes
          removed++;
          bytes += plain.size();
        }
        continue;
      }
      Instant written = files.stream().map(BackupRepository.Stored::modified)
          .filter(Objects::nonNull).min(Instant::compareTo).orElse(clock.instant());
      boolean gone = ledger.removeUnclaimed(body, cutoff, written, () -> {
        for (BackupRepository.Stored file : files) {
          repository.delete(file.name());
        }
      });
      if (gone) {
        removed += files.size();
        bytes += files.stream().mapToLong(BackupRepository.Stored::size).sum();
      } else {
        kept++;
      }
    }
    return new Result(removed, bytes, kept);
  }
}
