package dev.lifeboat.objectstore;

import java.time.Instant;
import java.util.Locale;

/**
 * An object's key, size and ETag as the store reports them. A multipart ETag is not an MD5 of the
 * content (and servers differ): compare content by ETag only through {@link #md5()}, else by a
 * digest Lifeboat computed.
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {

  /**
   * The MD5 of the content (hex, lower case) that the ETag stands for, or null when it stands for
   * none: a multipart upload's ETag is {@code <md5 of the parts' md5s>-<parts>}, and servers that
   * encrypt at rest return other values.
   */
  public String md5() {
    if (etag == null) {
      return null;
    }
    String bare = etag.replace("\"", "").toLowerCase(Locale.ROOT);
    return bare.matches("[0-9a-f]{32}") ? bare : null;
  }
}
