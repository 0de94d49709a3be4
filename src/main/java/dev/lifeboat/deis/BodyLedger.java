package dev.lifeboat.deis;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the database knows about bodies (tables {@code backup_parts} and {@code part_claims}): which
 * backup references which body, and when a run last wrote or reused each. Bodies are named by
 * {@link DeisStoreBodies#name} (without {@code .age}).
 *
 * <p>The protocol that keeps a body a run relies on: a run <em>claims</em> a body first and only
 * then checks that it is there (or names it); a sweep removes a body only while it holds the lock
 * on its claim, and only when the claim is older than every deis-store backup in progress. So a
 * claim made before the sweep takes the lock is seen by it, and a claim that waited for the lock
 * is followed by a check that finds the body gone.
 */
interface BodyLedger {

  /** Records that a run relies on these bodies now ({@code at}, the run's clock). */
  void claim(Collection<String> bodies, Instant at);

  /** Records the bodies a backup references, by the id reserved for it (before it is catalogued). */
  void reference(String backupId, Collection<String> bodies);

  /** Forgets what a deleted backup referenced. */
  void forget(String backupId);

  /** Every body a catalogued backup references. */
  Set<String> referenced();

  /** Catalogued backups of {@code kind} with no references recorded (catalogued before they were recorded). */
  List<String> unrecorded(String kind);

  /**
   * When the oldest backup of {@code kind} still in progress started: its id is reserved, not
   * catalogued, and its run running, waiting or interrupted (an interrupted run may be resumed).
   */
  Optional<Instant> oldestInProgress(String kind);

  /**
   * Under the lock of the body's claim: when nothing catalogued references it and it was last
   * claimed before {@code cutoff}, runs {@code remove} and drops the claim. A body never claimed
   * is taken as claimed at {@code unclaimedSince} (when it was written). False: kept.
   */
  boolean removeUnclaimed(String body, Instant cutoff, Instant unclaimedSince, Removal remove) throws IOException;

  @FunctionalInterface
  interface Removal {
    void run() throws IOException;
  }
}
