package dev.lifeboat.etcd;

import dev.lifeboat.archive.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks etcd's own integrity hash while a snapshot streams past. A snapshot taken through the
 * Maintenance API ends with the sha256 of everything before it; etcd detects it, as etcdctl does,
 * by the size: a bolt database is a multiple of 512 bytes, so 32 extra bytes are the hash. One pass
 * also yields the sha256 of the whole file, as {@code sha256sum snapshot.db} would print it.
 */
final class EtcdSnapshotDigest {

  static final int HASH_SIZE = 32;

  private final long totalSize;
  private final long contentSize;
  private final MessageDigest content = Sha256.newDigest();
  private final byte[] trailer = new byte[HASH_SIZE];
  private long position;

  EtcdSnapshotDigest(long totalSize) {
    this.totalSize = totalSize;
    this.contentSize = hasHash(totalSize) ? totalSize - HASH_SIZE : totalSize;
  }

  static boolean hasHash(long size) {
    return size % 512 == HASH_SIZE;
  }

  void update(ByteBuffer chunk) {
    int remaining = chunk.remaining();
    if (position + remaining > totalSize) {
      throw new EtcdException("the snapshot stream is longer than the " + totalSize + " bytes etcd announced");
    }
    long beforeTrailer = contentSize - position;
    if (beforeTrailer > 0) {
      int n = (int) Math.min(beforeTrailer, remaining);
      ByteBuffer head = chunk.slice(chunk.position(), n);
      content.update(head);
      chunk.position(chunk.position() + n);
      position += n;
    }
    if (chunk.hasRemaining()) {
      int offset = (int) (position - contentSize);
      int n = chunk.remaining();
      chunk.get(trailer, offset, n);
      position += n;
    }
  }

  void update(byte[] bytes, int offset, int length) {
    update(ByteBuffer.wrap(bytes, offset, length));
  }

  long position() {
    return position;
  }

  Result finish() {
    if (position != totalSize) {
      throw new EtcdException("the snapshot stream ended after " + position + " of " + totalSize + " bytes");
    }
    HexFormat hex = HexFormat.of();
    if (!hasHash(totalSize)) {
      String sha = hex.formatHex(content.digest());
      return new Result(totalSize, false, false, null, null, sha);
    }
    MessageDigest whole = clone(content);
    byte[] computed = content.digest();
    whole.update(trailer);
    return new Result(totalSize, true, Arrays.equals(computed, trailer), hex.formatHex(trailer), hex.formatHex(computed),
        hex.formatHex(whole.digest()));
  }

  private static MessageDigest clone(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /**
   * {@code embeddedHash} is the hash stored in the snapshot, {@code computedHash} what its content
   * hashes to; {@code fileSha256} covers the whole file including the stored hash.
   */
  record Result(long size, boolean hasHash, boolean valid, String embeddedHash, String computedHash, String fileSha256) {}
}
