package dev.lifeboat.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Where backup archives live (a local directory by default). An archive is first written to a
 * staging area that nobody lists, then committed under its final name in one atomic step, so a
 * partial archive is never visible and a failed run leaves nothing behind once it is discarded.
 */
public interface BackupRepository {

  /** A new staging area for one archive of the given run. */
  Staging stage(String runId) throws IOException;

  InputStream openStaged(String stagingId) throws IOException;

  long stagedSize(String stagingId) throws IOException;

  /**
   * Makes the staged archive visible as {@code name} in one atomic step; never replaces an existing
   * archive ({@link java.nio.file.FileAlreadyExistsException}).
   */
  String commit(String stagingId, String name) throws IOException;

  void discard(String stagingId);

  /** Removes whatever the run left in staging (it ended). */
  void discardStagedFor(String runId);

  InputStream open(String location) throws IOException;

  boolean exists(String location);

  void delete(String location) throws IOException;

  /** Where an archive is, as a person would look for it: a file path or an object URL. */
  String describe(String location);

  /**
   * What is stored under names starting with {@code prefix} (never the staging area), in no
   * particular order; for sweeping parts that nothing references any more.
   */
  List<Stored> list(String prefix) throws IOException;

  /** One stored archive or part: its name, size and when it was written. */
  record Stored(String name, long size, Instant modified) {}

  /** A staging area being written; closing the stream does not commit it. */
  record Staging(String id, OutputStream out) {}
}
