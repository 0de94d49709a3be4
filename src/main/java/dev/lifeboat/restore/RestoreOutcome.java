package dev.lifeboat.restore;

/** How a restore ended, as its run's {@code outcome} output and the audit trail say it. */
public enum RestoreOutcome {
  /** The artifact is on the target and verified. */
  RESTORED_AND_VERIFIED,
  /** Refused before anything changed: a precondition or the artifact's checksum. */
  REFUSED,
  /** Rejected or expired before anything changed. */
  REJECTED,
  /** A step after the stop failed; the previous data is back and holds what it held. */
  ROLLED_BACK_AND_VERIFIED,
  /** A step after the stop failed; the previous data is back but differs from before (the detail says how). */
  ROLLED_BACK_NOT_VERIFIED,
  /** A step after the stop failed and the target could not be rolled back (the detail says why and its state). */
  NOT_ROLLED_BACK
}
