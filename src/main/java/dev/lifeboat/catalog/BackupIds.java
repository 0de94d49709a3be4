package dev.lifeboat.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Catalogue ids read like Juju's backup ids: {@code YYYYMMDD-HHMMSS.<source>} (UTC), with
 * {@code -2}, {@code -3}... when several backups of one source start in the same second.
 * {@link BackupPipeline#reserveId} hands them out.
 */
public final class BackupIds {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern VALID = Pattern.compile("[0-9]{8}-[0-9]{6}\\.[A-Za-z0-9_-]{1,80}(-[0-9]+)?");

  private BackupIds() {}

  /** The {@code n}th id of this source and second (the first has no number). */
  static String of(Instant at, String source, int n) {
    String id = STAMP.format(at) + "." + source.replaceAll("[^A-Za-z0-9_-]", "-") + (n > 1 ? "-" + n : "");
    if (!isValid(id)) {
      throw new IllegalArgumentException("source '" + source + "' does not fit in a backup id (at most 80 characters)");
    }
    return id;
  }

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** The archive's file name in the backup repository; age ciphertext gets {@code .age} appended, as age names it. */
  static String archiveName(String id, boolean encrypted) {
    return id + ".tar.gz" + (encrypted ? ".age" : "");
  }
}
