package dev.lifeboat.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Catalogue ids read like Juju's backup ids: {@code YYYYMMDD-HHMMSS.<source id>} (UTC). */
public final class BackupIds {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern VALID = Pattern.compile("[0-9]{8}-[0-9]{6}\\.[A-Za-z0-9_-]{1,80}(-[0-9]+)?");

  private BackupIds() {}

  public static String of(Instant at, String sourceId) {
    String suffix = sourceId.replaceAll("[^A-Za-z0-9_-]", "-");
    return STAMP.format(at) + "." + suffix;
  }

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** The archive's file name in the backup repository. */
  public static String archiveName(String id) {
    return id + ".tar.gz";
  }
}
