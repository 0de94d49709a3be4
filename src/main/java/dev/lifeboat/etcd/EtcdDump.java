package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The logical key dump: gzip-compressed JSON lines, readable without etcd or Lifeboat
 * ({@code zcat dump | jq}). The first line is the header, then one line per key, then a trailer
 * with the counts. v3 keys and values are base64 (they are bytes); v2 keys are paths and values
 * text, as the v2 API has them. The README ("etcd-dump") documents every field.
 */
final class EtcdDump {

  static final String KIND = "etcd-dump";
  static final String FORMAT = "lifeboat-etcd-dump/1";
  static final String V3 = "v3";
  static final String V2 = "v2";

  private EtcdDump() {}

  /** One v3 key as read at the dump's revision; {@code ttl} is the lease's remaining seconds, 0 without lease. */
  record V3Key(byte[] key, byte[] value, long lease, long ttl) {}

  /** One v2 node: a directory (no value) or a key; {@code ttl} remaining seconds, 0 when permanent. */
  record V2Node(String key, boolean dir, String value, long ttl) {}

  /**
   * A digest of keys and values (never TTLs or revisions, which a load cannot keep): equal for a
   * dump and for a cluster that holds exactly its keys.
   */
  static final class Digest {

    private final MessageDigest v3 = Sha256.newDigest();
    private final MessageDigest v2 = Sha256.newDigest();
    private long v3Count;
    private long v2Count;

    void add(V3Key key) {
      field(v3, key.key());
      field(v3, key.value());
      v3Count++;
    }

    void add(V2Node node) {
      field(v2, node.key().getBytes(StandardCharsets.UTF_8));
      v2.update((byte) (node.dir() ? 1 : 0));
      field(v2, node.dir() ? new byte[0] : node.value().getBytes(StandardCharsets.UTF_8));
      v2Count++;
    }

    private static void field(MessageDigest digest, byte[] bytes) {
      digest.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
      digest.update(bytes);
    }

    long v3Count() {
      return v3Count;
    }

    long v2Count() {
      return v2Count;
    }

    String v3() {
      return HexFormat.of().formatHex(((MessageDigest) clone(v3)).digest());
    }

    String v2() {
      return HexFormat.of().formatHex(((MessageDigest) clone(v2)).digest());
    }

    private static Object clone(MessageDigest digest) {
      try {
        return digest.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Writes the lines of one dump to an (already compressing) stream, counting and digesting as it goes. */
  static final class Writer {

    private final OutputStream out;
    private final ObjectMapper json;
    private final Digest digest = new Digest();

    Writer(OutputStream out, ObjectMapper json) {
      this.out = out;
      this.json = json;
    }

    void header(Map<String, Object> header) throws IOException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("format", FORMAT);
      line.putAll(header);
      write(line);
    }

    void v3(V3Key key) throws IOException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("api", V3);
      line.put("key", Base64.getEncoder().encodeToString(key.key()));
      line.put("value", Base64.getEncoder().encodeToString(key.value()));
      if (key.lease() != 0) {
        line.put("lease", Long.toHexString(key.lease()));
        line.put("ttl", key.ttl());
      }
      write(line);
      digest.add(key);
    }

    void v2(V2Node node) throws IOException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("api", V2);
      line.put("key", node.key());
      if (node.dir()) {
        line.put("dir", true);
      } else {
        line.put("value", node.value());
      }
      if (node.ttl() > 0) {
        line.put("ttl", node.ttl());
      }
      write(line);
      digest.add(node);
    }

    void trailer(Map<String, Object> extra) throws IOException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("end", true);
      line.put("counts", Map.of(V3, digest.v3Count(), V2, digest.v2Count()));
      line.put("digests", Map.of(V3, digest.v3(), V2, digest.v2()));
      line.putAll(extra);
      write(line);
    }

    Digest digest() {
      return digest;
    }

    private void write(Map<String, Object> line) throws IOException {
      out.write(json.writeValueAsBytes(line));
      out.write('\n');
    }
  }

  /** One line between header and trailer: a v3 key or a v2 node. */
  record Entry(V3Key v3, V2Node v2) {}

  /**
   * Reads a dump line by line (memory stays flat whatever its size): {@link #header()}, then
   * {@link #next()} until null, then {@link #trailer()}. A dump without its trailer is truncated.
   */
  static final class Reader implements AutoCloseable {

    private final BufferedReader lines;
    private final ObjectMapper json;
    private final JsonNode header;
    private JsonNode trailer;

    Reader(InputStream gzipped, ObjectMapper json) throws IOException {
      this.lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped, 1 << 16),
          StandardCharsets.UTF_8), 1 << 16);
      this.json = json;
      String first = lines.readLine();
      JsonNode parsed = first == null ? null : json.readTree(first);
      if (parsed == null || !FORMAT.equals(parsed.path("format").asText())) {
        throw new IOException("not a " + FORMAT + " dump: the first line is not its header");
      }
      this.header = parsed;
    }

    JsonNode header() {
      return header;
    }

    Entry next() throws IOException {
      if (trailer != null) {
        return null;
      }
      String text = lines.readLine();
      if (text == null) {
        throw new IOException("the dump ends without its trailer line: it is truncated");
      }
      JsonNode line = json.readTree(text);
      if (line.path("end").asBoolean(false)) {
        trailer = line;
        return null;
      }
      String api = line.path("api").asText();
      if (V3.equals(api)) {
        return new Entry(new V3Key(Base64.getDecoder().decode(line.path("key").asText()),
            Base64.getDecoder().decode(line.path("value").asText()),
            line.has("lease") ? Long.parseUnsignedLong(line.get("lease").asText(), 16) : 0, line.path("ttl").asLong(0)),
            null);
      }
      if (V2.equals(api)) {
        boolean dir = line.path("dir").asBoolean(false);
        return new Entry(null, new V2Node(line.path("key").asText(), dir, dir ? null : line.path("value").asText(""),
            line.path("ttl").asLong(0)));
      }
      throw new IOException("unknown line in the dump: " + text);
    }

    /** The trailer, once {@link #next()} returned null. */
    JsonNode trailer() {
      return trailer;
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
