package dev.lifeboat.catalog;

/** A staged archive failed verification: its bytes changed, or its platform found it damaged. */
public class ArchiveCorruptException extends RuntimeException {
  public ArchiveCorruptException(String message) {
    super(message);
  }
}
