package dev.lifeboat.catalog;

public class BackupConflictException extends RuntimeException {
  public BackupConflictException(String message) {
    super(message);
  }
}
