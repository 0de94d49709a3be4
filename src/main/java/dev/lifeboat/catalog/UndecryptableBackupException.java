package dev.lifeboat.catalog;

/** A backup is stored encrypted and this Lifeboat has no age identity to decrypt it with. */
public class UndecryptableBackupException extends RuntimeException {
  public UndecryptableBackupException(String message) {
    super(message);
  }
}
