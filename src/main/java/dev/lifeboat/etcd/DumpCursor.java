package dev.lifeboat.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dump's v3 keys under a prefix in key order (as etcd-dump wrote them), one at a time, so it can
 * be walked beside a cluster's keys; its v2 nodes under the prefix are collected on the way (the
 * v2 part of a dump is small: the v2 API could not page it either).
 */
final class DumpCursor implements AutoCloseable {

  private final EtcdDump.Reader reader;
  private final byte[] prefix;
  private final String v2Prefix;
  private final List<EtcdDump.V2Node> v2 = new ArrayList<>();
  private EtcdDump.V3Key current;
  private boolean done;

  DumpCursor(EtcdDump.Reader reader, String prefix) {
    this.reader = reader;
    this.prefix = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
    this.v2Prefix = prefix == null || prefix.isEmpty() ? "/" : prefix;
  }

  static boolean under(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static boolean under(String key, String v2Prefix) {
    return v2Prefix.equals("/") || key.startsWith(v2Prefix);
  }

  EtcdDump.V3Key peek() throws IOException {
    while (current == null && !done) {
      EtcdDump.Entry entry = reader.next();
      if (entry == null) {
        done = true;
      } else if (entry.v3() != null && under(entry.v3().key(), prefix)) {
        current = entry.v3();
      } else if (entry.v2() != null && under(entry.v2().key(), v2Prefix)) {
        v2.add(entry.v2());
      }
    }
    return current;
  }

  EtcdDump.V3Key next() throws IOException {
    EtcdDump.V3Key key = peek();
    current = null;
    return key;
  }

  /** Skips keys before {@code key}; the key itself when the dump has it, else null. */
  EtcdDump.V3Key seek(byte[] key) throws IOException {
    for (EtcdDump.V3Key at = peek(); at != null; at = peek()) {
      int order = Arrays.compareUnsigned(at.key(), key);
      if (order >= 0) {
        return order == 0 ? at : null;
      }
      current = null;
    }
    return null;
  }

  /** Reads to the end; the v2 nodes under the prefix. */
  List<EtcdDump.V2Node> v2() throws IOException {
    while (next() != null) {
      // v3 keys are skipped; v2 nodes collected
    }
    return v2;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
