package dev.lifeboat.catalog;

import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.storage.BackupRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One archive being written into the backup repository's staging area: write it to {@link #out()}
 * (hashed as it passes), then {@link #finish} it into the {@link StagedArchive} the next steps use.
 * Closing an unfinished staging discards what was written.
 *
 * <p>One pass: what the platform writes is hashed (sha256 and its extra checksums), encrypted with
 * age when recipients are configured, and the stored bytes hashed again (sha256) on their way into
 * staging. A staging of {@link Mode#CIPHERTEXT} takes bytes that are already age ciphertext (an
 * upload) and stores them as they are.
 *
 * <pre>{@code
 * try (ArchiveStaging staging = pipeline.stage(runId, Checksum.SHA1_BASE64)) {
 *   download(staging.out());
 *   staging.expect(Checksum.SHA1_BASE64, checksumJujuPrinted, "juju backups");
 *   return staging.finish(description, initiator);
 * }
 * }</pre>
 */
public final class ArchiveStaging implements AutoCloseable {

  private final BackupRepository repository;
  private final String stagingId;
  private final String runId;
  private final HashingOutputStream out;
  private final HashingOutputStream stored;
  private final Mode mode;
  private final Map<Checksum, Expected> expected = new EnumMap<>(Checksum.class);
  private final List<String> problems = new ArrayList<>();
  private Written written;
  private boolean finished;

  /** What is written to {@link #out()}, and so what is stored. */
  enum Mode {
    /** a plain archive, stored as it is */
    PLAIN,
    /** a plain archive, stored encrypted */
    ENCRYPT,
    /** age ciphertext, stored as it is (its plaintext is known only to whoever decrypts it) */
    CIPHERTEXT
  }

  ArchiveStaging(BackupRepository repository, BackupRepository.Staging staging, String runId,
      Collection<Checksum> extra, Mode mode, AgeEncryption encryption) throws IOException {
    this.repository = repository;
    this.stagingId = staging.id();
    this.runId = runId;
    this.mode = mode;
    if (mode == Mode.ENCRYPT) {
      this.stored = new HashingOutputStream(staging.out(), List.of());
      this.out = new HashingOutputStream(encryption.encrypt(stored), extra);
    } else {
      this.out = new HashingOutputStream(staging.out(), extra);
      this.stored = out;
    }
  }

  /** Where the archive's bytes go; closing it does not finish the staging. */
  public OutputStream out() {
    return out;
  }

  /**
   * A checksum the platform's own tool reported for these bytes (e.g. in Juju's backup metadata);
   * if the bytes written do not have it, the archive is refused when it is verified.
   */
  public void expect(Checksum checksum, String value, String reportedBy) {
    if (!out.computes(checksum)) {
      throw new IllegalArgumentException("stage the archive with " + checksum + " to expect it");
    }
    expected.put(checksum, new Expected(value, reportedBy));
  }

  /** Something the platform found wrong while writing; the archive is refused when it is verified. */
  public void problem(String problem) {
    problems.add(problem);
  }

  /** Ends the writing: the archive stays staged for the steps that verify, store and catalogue it. */
  public StagedArchive finish(BackupDescription description, String createdBy) throws IOException {
    if (mode == Mode.CIPHERTEXT) {
      throw new IllegalStateException("the plaintext of staged ciphertext is known only after decrypting it");
    }
    Written bytes = written();
    return finish(description, createdBy, bytes.sha256(), bytes.extraChecksums());
  }

  /** Finishes with the plaintext's checksums found by whoever decrypted it (staged ciphertext). */
  StagedArchive finish(BackupDescription description, String createdBy, String plaintextSha256,
      Map<String, String> plaintextChecksums) throws IOException {
    Written bytes = written();
    finished = true;
    return new StagedArchive(stagingId, description.backupId(), description.kind(), description.source(),
        bytes.storedSha256(), bytes.storedSize(), plaintextChecksums, List.copyOf(problems), description.metadata(),
        description.notes(), createdBy, runId, description.startedAt(), description.finishedAt(),
        mode != Mode.PLAIN, plaintextSha256);
  }

  Mode mode() {
    return mode;
  }

  /** Discards the staged bytes unless {@link #finish} was called. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      try {
        out.close();
      } finally {
        repository.discard(stagingId);
      }
    }
  }

  String id() {
    return stagingId;
  }

  /**
   * Closes the stream; the size and checksums of what was written and of what was stored, with a
   * problem for each expected checksum the written bytes lack.
   */
  Written written() throws IOException {
    if (written == null) {
      out.close();
      Map<Checksum, String> checksums = out.checksums();
      written = stored == out
          ? new Written(out.size(), checksums, out.size(), checksums.get(Checksum.SHA256))
          : new Written(out.size(), checksums, stored.size(), stored.checksums().get(Checksum.SHA256));
      expected.forEach((checksum, reported) -> {
        String actual = written.checksums().get(checksum);
        if (!actual.equals(reported.value())) {
          problems.add("checksum mismatch: the archive's " + checksum.key() + " is " + actual + ", but "
              + reported.reportedBy() + " reported " + reported.value());
        }
      });
    }
    return written;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  private record Expected(String value, String reportedBy) {}

  /** What was written: size and checksums, sha256 among them; and the size and sha256 of what was stored. */
  record Written(long size, Map<Checksum, String> checksums, long storedSize, String storedSha256) {

    String sha256() {
      return checksums.get(Checksum.SHA256);
    }

    /** Every checksum but sha256, by key: the archive's {@link StagedArchive#checksums()}. */
    Map<String, String> extraChecksums() {
      Map<String, String> extra = new TreeMap<>();
      checksums.forEach((checksum, value) -> {
        if (checksum != Checksum.SHA256) {
          extra.put(checksum.key(), value);
        }
      });
      return extra;
    }
  }
}
