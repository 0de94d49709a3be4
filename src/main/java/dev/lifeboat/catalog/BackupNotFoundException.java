package dev.lifeboat.catalog;

public class BackupNotFoundException extends RuntimeException {
  public BackupNotFoundException(String id) {
    super("no backup '" + id + "' in the catalogue (GET /api/backups lists them)");
  }
}
