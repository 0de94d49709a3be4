package dev.lifeboat.catalog;

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
  private final Map<Checksum, Expected> expected = new EnumMap<>(Checksum.class);
  private final List<String> problems = new ArrayList<>();
  private Written written;
  private boolean finished;

  ArchiveStaging(BackupRepository repository, BackupRepository.Staging staging, String runId,
      Collection<Checksum> extra) {
    this.repository = repository;
    this.stagingId = staging.id();
    this.runId = runId;
    this.out = new HashingOutputStream(staging.out(), extra);
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
    Written bytes = written();
    finished = true;
    return new StagedArchive(stagingId, description.backupId(), description.kind(), description.source(),
        bytes.sha256(), bytes.size(), bytes.extraChecksums(), List.copyOf(problems), description.metadata(),
        description.notes(), createdBy, runId, description.startedAt(), description.finishedAt());
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

  /** Closes the stream; its size and checksums, with a problem for each expected checksum they lack. */
  Written written() throws IOException {
    if (written == null) {
      out.close();
      written = new Written(out.size(), out.checksums());
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

  /** What was written: size and checksums, sha256 among them. */
  record Written(long size, Map<Checksum, String> checksums) {

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
