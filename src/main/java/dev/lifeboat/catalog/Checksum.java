package dev.lifeboat.catalog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A checksum of an archive's bytes as some tool prints it. Every archive gets {@link #SHA256};
 * a platform asks for more when its own tools use another (Juju prints base64 SHA-1).
 */
public enum Checksum {

  /** As {@code sha256sum} prints it: lower-case hex. */
  SHA256("sha256", "SHA-256", HexFormat.of()::formatHex),
  /** As {@code juju backups} prints it ("checksum format: SHA-1, base64 encoded"). */
  SHA1_BASE64("sha1-base64", "SHA-1", Base64.getEncoder()::encodeToString);

  private final String key;
  private final String algorithm;
  private final Function<byte[], String> encoding;

  Checksum(String key, String algorithm, Function<byte[], String> encoding) {
    this.key = key;
    this.algorithm = algorithm;
    this.encoding = encoding;
  }

  /** The name under which it is kept in {@link StagedArchive#checksums()} and the catalogue. */
  public String key() {
    return key;
  }

  static Checksum ofKey(String key) {
    for (Checksum checksum : values()) {
      if (checksum.key.equals(key)) {
        return checksum;
      }
    }
    throw new IllegalArgumentException("unknown checksum '" + key + "'");
  }

  MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no " + algorithm, e);
    }
  }

  String encode(byte[] digest) {
    return encoding.apply(digest);
  }
}
