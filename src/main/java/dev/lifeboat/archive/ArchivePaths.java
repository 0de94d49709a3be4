package dev.lifeboat.archive;

/**
 * Entry names are checked before they are written or read: an archive is never allowed to name a
 * path outside the place it is extracted to (absolute paths, {@code ..}, drive letters, NUL).
 */
public final class ArchivePaths {

  private ArchivePaths() {}

  public static String checkedEntryName(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      throw new UnsafeArchiveException("empty or overlong entry name");
    }
    String normalized = name.replace('\\', '/');
    if (normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*") || normalized.indexOf('\0') >= 0) {
      throw new UnsafeArchiveException("entry '" + printable(name) + "' is an absolute path");
    }
    for (String part : normalized.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeArchiveException("entry '" + printable(name) + "' escapes the archive with '..'");
      }
    }
    return normalized;
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
