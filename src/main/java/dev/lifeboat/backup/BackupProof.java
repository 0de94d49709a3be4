package dev.lifeboat.backup;

import dev.lifeboat.catalog.Backup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real proof that a backup of one kind restores, done by {@code backup-verify} after the
 * generic checks (the stored archive has its catalogued sha256 and size, and reads through to its
 * end): for an etcd snapshot, a restore into a scratch directory and a temporary member on
 * loopback. A platform provides one as a bean; a kind without one is proven by the generic checks.
 */
public interface BackupProof {

  /** The backup kind this proves, e.g. the kind its platform's backup runbook catalogues. */
  String kind();

  /**
   * Proves {@code backup}; throws {@link ProofFailedException} saying what did not hold, or another
   * exception when the proof itself could not be done (a missing tool: the step is retried).
   */
  Result prove(Backup backup, Scratch scratch) throws Exception;

  /** What was proven, in a sentence ({@code method}), and the facts found (key count, revision...). */
  record Result(String method, Map<String, Object> facts) {}

  /** Where a proof works: a directory of its own, removed afterwards, and the stored archive. */
  interface Scratch {
    Path directory();

    InputStream openArchive() throws IOException;

    /** A line shown on the step while it works. */
    void message(String message);
  }
}
