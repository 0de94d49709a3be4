package dev.lifeboat.backup;

/** A backup did not prove restorable: the message says what did not hold. */
public class ProofFailedException extends RuntimeException {
  public ProofFailedException(String message) {
    super(message);
  }

  public ProofFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
