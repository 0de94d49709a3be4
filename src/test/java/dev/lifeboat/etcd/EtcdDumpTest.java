package dev.lifeboat.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The dump format on its own: what the writer writes the reader reads, with the same digests. */
class EtcdDumpTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  byte[] dump(boolean withTrailer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      EtcdDump.Writer writer = new EtcdDump.Writer(gzip, JSON);
      writer.header(Map.of("revision", 7));
      writer.v3(new EtcdDump.V3Key(bytes("/a/1"), new byte[] {(byte) 0xff, 0, 1}, 0, 0));
      writer.v3(new EtcdDump.V3Key(bytes("/a/2"), bytes("two"), 0x1234abcdL, 42));
      writer.v3(new EtcdDump.V3Key(bytes("/b/1"), bytes("three"), 0, 0));
      writer.v2(new EtcdDump.V2Node("/deis", true, null, 0));
      writer.v2(new EtcdDump.V2Node("/deis/x", false, "y", 30));
      if (withTrailer) {
        writer.trailer(Map.of());
      }
    }
    return out.toByteArray();
  }

  @Test
  void whatIsWrittenReadsBackWithTheSameDigests() throws IOException {
    EtcdDump.Digest read = new EtcdDump.Digest();
    EtcdDump.Reader reader = new EtcdDump.Reader(new ByteArrayInputStream(dump(true)), JSON);
    assertThat(reader.header().get("format").asText()).isEqualTo(EtcdDump.FORMAT);
    List<EtcdDump.Entry> entries = new java.util.ArrayList<>();
    for (EtcdDump.Entry entry; (entry = reader.next()) != null; ) {
      entries.add(entry);
      if (entry.v3() != null) {
        read.add(entry.v3());
      } else {
        read.add(entry.v2());
      }
    }
    assertThat(entries).hasSize(5);
    assertThat(entries.get(0).v3().value()).containsExactly((byte) 0xff, 0, 1);
    assertThat(entries.get(1).v3().lease()).isEqualTo(0x1234abcdL);
    assertThat(entries.get(1).v3().ttl()).isEqualTo(42);
    assertThat(entries.get(3).v2().dir()).isTrue();
    assertThat(entries.get(4).v2().ttl()).isEqualTo(30);
    assertThat(reader.trailer().at("/counts/v3").asLong()).isEqualTo(3);
    assertThat(reader.trailer().at("/digests/v3").asText()).isEqualTo(read.v3());
    assertThat(reader.trailer().at("/digests/v2").asText()).isEqualTo(read.v2());
  }

  @Test
  void aDigestDependsOnKeysAndValuesNotLeases() {
    EtcdDump.Digest a = new EtcdDump.Digest();
    EtcdDump.Digest b = new EtcdDump.Digest();
    a.add(new EtcdDump.V3Key(bytes("k"), bytes("v"), 1, 10));
    b.add(new EtcdDump.V3Key(bytes("k"), bytes("v"), 2, 99));
    assertThat(a.v3()).isEqualTo(b.v3());
    EtcdDump.Digest c = new EtcdDump.Digest();
    c.add(new EtcdDump.V3Key(bytes("kv"), bytes(""), 0, 0)); // same bytes, other split: another digest
    assertThat(c.v3()).isNotEqualTo(a.v3());
  }

  @Test
  void aDumpWithoutItsTrailerIsTruncated() throws IOException {
    EtcdDump.Reader reader = new EtcdDump.Reader(new ByteArrayInputStream(dump(false)), JSON);
    assertThatThrownBy(() -> {
      while (reader.next() != null) {
        // read to the end
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void aCursorWalksOnlyThePrefixInKeyOrderAndCollectsV2() throws IOException {
    try (DumpCursor cursor = new DumpCursor(new EtcdDump.Reader(new ByteArrayInputStream(dump(true)), JSON), "/a/")) {
      assertThat(cursor.seek(bytes("/a/0"))).isNull();
      assertThat(cursor.seek(bytes("/a/2")).value()).isEqualTo(bytes("two"));
      assertThat(cursor.next().key()).isEqualTo(bytes("/a/2"));
      assertThat(cursor.next()).isNull();
      assertThat(cursor.v2()).isEmpty(); // "/deis" is not under "/a/"
    }
    try (DumpCursor cursor = new DumpCursor(new EtcdDump.Reader(new ByteArrayInputStream(dump(true)), JSON), "")) {
      assertThat(cursor.v2()).extracting(EtcdDump.V2Node::key).containsExactly("/deis", "/deis/x");
    }
    assertThat(DumpCursor.under(bytes("/a/1"), bytes("/a/"))).isTrue();
    assertThat(DumpCursor.under(bytes("/b/1"), bytes("/a/"))).isFalse();
  }
}
