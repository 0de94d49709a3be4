package dev.lifeboat.catalog;

/** An uploaded archive was refused: it is not a backup Lifeboat can verify and restore. */
public class InvalidBackupException extends RuntimeException {
  public InvalidBackupException(String message) {
    super(message);
  }
}
