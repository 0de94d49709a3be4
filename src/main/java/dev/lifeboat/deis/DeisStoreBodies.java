package dev.lifeboat.deis;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.storage.BackupRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.output.CountingOutputStream;
import org.springframework.stereotype.Component;

/**
 * The parts of Deis store backups, stored once by content in the backup repository under
 * {@code body-sha256-<hex>}: a later backup holding the same bytes references the same body.
 * A body is staged while hashed and appears under its name in one atomic step, so it is never
 * partial; one that is already there is kept and the new copy dropped.
 *
 * <p>When age recipients are configured a body is stored encrypted, as {@code body-sha256-<hex>.age}
 * (what {@code age -d} decrypts), hashed while it is encrypted, so its name is still the sha256 of
 * its plaintext. Both forms are read (a repository that switched encryption on still restores its
 * older sets); new sets reference only bodies stored the way this configuration stores them, so a
 * plain body is stored again encrypted the next time a backup needs it.
 *
 * <p>Every write and reuse is claimed in the {@link BodyLedger} first, so a concurrent sweep keeps
 * what a run in progress relies on.
 */
@Component
class DeisStoreBodies {

  static final String PREFIX = "body-sha256-";
  static final String AGE = ".age";

  /** The bytes written: sha256 (hex, as sha256sum prints it), md5 (hex) and size. */
  record Body(String sha256, String md5, long size) {}

  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private final BackupRepository repository;
  private final AgeEncryption encryption;
  private final BodyLedger ledger;
  private final Clock clock;

  DeisStoreBodies(BackupRepository repository, AgeEncryption encryption, BodyLedger ledger, Clock clock) {
    this.repository = repository;
    this.encryption = encryption;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The body's name (its plaintext's sha256), also in the ledger; stored encrypted with {@link #AGE} after it. */
  static String name(String sha256) {
    if (!Sha256.isHex(sha256)) {
      throw new IllegalArgumentException("not a sha256: " + sha256);
    }
    return PREFIX + sha256;
  }

  /** The body's name for a stored name ({@code body-sha256-<hex>} or {@code ...<hex>.age}); null for anything else. */
  static String bodyOf(String stored) {
    String name = stored.endsWith(AGE) ? stored.substring(0, stored.length() - AGE.length()) : stored;
    return name.startsWith(PREFIX) && Sha256.isHex(name.substring(PREFIX.length())) ? name : null;
  }

  /** Where a new body goes: encrypted when recipients are configured. */
  private String storedName(String sha256) {
    return encryption.enabled() ? name(sha256) + AGE : name(sha256);
  }

  /**
   * Whether a backup can reference these bytes without storing them again: a body stored the way
   * this configuration stores them (encrypted or not) is there. Claims it first (see {@link BodyLedger}).
   */
  boolean holds(String sha256) {
    return held(List.of(sha256)).contains(sha256);
  }

  /** {@link #holds} for many bodies (a listing page's), claimed in one batch. */
  Set<String> held(Collection<String> sha256s) {
    ledger.claim(sha256s.stream().map(DeisStoreBodies::name).toList(), clock.instant());
    Set<String> held = new HashSet<>();
    for (String sha256 : sha256s) {
      if (repository.exists(storedName(sha256))) {
        held.add(sha256);
      }
    }
    return held;
  }

  /** Whether the body is there in either form (what a restore or a download reads). */
  boolean stored(String sha256) {
    return repository.exists(name(sha256)) || repository.exists(name(sha256) + AGE);
  }

  /**
   * The body's plaintext, decrypted while it is read when it is stored encrypted. Without an age
   * identity an encrypted body is refused ({@link IllegalStateException}, saying what to configure).
   */
  InputStream open(String sha256) throws IOException {
    String plain = name(sha256);
    String encrypted = plain + AGE;
    if (encryption.enabled()) {
      try {
        return decrypt(repository.open(encrypted));
      } catch (NoSuchFileException e) {
        return repository.open(plain);
      }
    }
    try {
      return repository.open(plain);
    } catch (NoSuchFileException e) {
      return decrypt(repository.open(encrypted));
    }
  }

  private InputStream decrypt(InputStream ciphertext) throws IOException {
    try {
      return encryption.decrypt(ciphertext);
    } catch (IOException | RuntimeException e) {
      ciphertext.close();
      throw e;
    }
  }

  String describe(String sha256) {
    String plain = name(sha256);
    String encrypted = plain + AGE;
    if (repository.exists(encrypted) && (encryption.enabled() || !repository.exists(plain))) {
      return repository.describe(encrypted);
    }
    return repository.exists(plain) ? repository.describe(plain) : repository.describe(storedName(sha256));
  }

  /**
   * Records the bodies a backup references (by its reserved id) and checks, after claiming them,
   * that every one is still there; names the first that is not.
   */
  void reference(String backupId, Collection<String> sha256s) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    sha256s.forEach(sha -> names.add(name(sha)));
    ledger.claim(names, clock.instant());
    ledger.reference(backupId, names);
    Map<String, Boolean> present = storedForms();
    List<String> missing = names.stream().filter(n -> !present.containsKey(n)).toList();
    if (!missing.isEmpty()) {
      throw new IOException(missing.size() + " body(ies) of backup " + backupId + " are no longer in the backup"
          + " repository, e.g. " + repository.describe(missing.getFirst()) + "; start the backup again");
    }
  }

  /** Every body in the repository: its name → whether one of its forms is encrypted. */
  Map<String, Boolean> storedForms() throws IOException {
    Map<String, Boolean> forms = new HashMap<>();
    for (BackupRepository.Stored stored : repository.list(PREFIX)) {
      String body = bodyOf(stored.name());
      if (body != null) {
        forms.merge(body, stored.name().endsWith(AGE), Boolean::logicalOr);
      }
    }
    return forms;
  }

  /**
   * Refuses, saying what to configure, when some of these bodies are stored only encrypted and
   * no age identity is configured; null when all can be read.
   */
  String unreadable(Collection<String> sha256s) throws IOException {
    if (encryption.canDecrypt()) {
      return null;
    }
    Set<String> plain = new HashSet<>();
    for (BackupRepository.Stored stored : repository.list(PREFIX)) {
      if (!stored.name().endsWith(AGE)) {
        plain.add(stored.name());
      }
    }
    long encryptedOnly = sha256s.stream().distinct().filter(sha -> !plain.contains(name(sha))).count();
    if (encryptedOnly == 0) {
      return null;
    }
    return encryptedOnly + " part(s) of this backup are stored age-encrypted (or missing) and this Lifeboat has no"
        + " identity to decrypt them: set lifeboat.encryption.age-identity-file to the key file (AGE-SECRET-KEY-1..."
        + " lines) whose public key they were encrypted to";
  }

  /** Streams what {@code writer} writes into a body; the run's staging holds it until it is named. */
  Body write(String runId, Writer writer) throws IOException {
    return write(runId, writer, true);
  }

  /**
   * {@link #write} for one of many bodies (a listing page's objects) whose caller claims them
   * together afterwards with {@link #held}, one database batch instead of one claim per body. Safe
   * because a sweep takes a body never claimed as claimed when it was written, after this run
   * started; and a body that was there already (the same bytes) and is swept before the batch
   * claim is found missing by {@link #held}.
   */
  Body writeClaimingLater(String runId, Writer writer) throws IOException {
    return write(runId, writer, false);
  }

  private Body write(String runId, Writer writer, boolean claim) throws IOException {
    BackupRepository.Staging staging = repository.stage(runId);
    boolean named = false;
    try {
      MessageDigest sha = Sha256.newDigest();
      MessageDigest md5 = md5();
      boolean encrypted = encryption.enabled();
      OutputStream stored = encrypted ? encryption.encrypt(staging.out()) : staging.out();
      // One pass: the plaintext is hashed (and counted) on its way into the encryption.
      CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(new DigestOutputStream(stored, sha), md5));
      try (OutputStream out = counting) {
        writer.write(out);
      }
      Body body = new Body(HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()),
          counting.getByteCount());
      if (claim) {
        // Claimed before it is named: a sweep that runs now keeps it, also when it is held already.
        ledger.claim(List.of(name(body.sha256())), clock.instant());
      }
      try {
        repository.commit(staging.id(), storedName(body.sha256()));
        named = true;
      } catch (FileAlreadyExistsException held) {
        // the same bytes are held already (an earlier backup, or another object with this content)
      }
      return body;
    } finally {
      if (!named) {
        repository.discard(staging.id());
      }
    }
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e);
    }
  }
}
