package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known vectors (FIPS 180; SHA-1 base64 as {@code openssl dgst -sha1 -binary | base64} prints it). */
class HashingOutputStreamTest {

  private static final String MILLION_A_SHA256 = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  private static final String MILLION_A_SHA1_BASE64 = "NKqXPNTE2qT2Husr260nMWU0AW8=";

  @Test
  void sha256AndBase64Sha1OfKnownVectors() throws IOException {
    assertThat(hash("")).containsEntry(Checksum.SHA256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        .containsEntry(Checksum.SHA1_BASE64, "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    assertThat(hash("abc")).containsEntry(Checksum.SHA256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        .containsEntry(Checksum.SHA1_BASE64, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
    assertThat(hash("The quick brown fox jumps over the lazy dog")).containsEntry(Checksum.SHA256,
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        .containsEntry(Checksum.SHA1_BASE64, "L9ThxnotKPzthJ7hu3bnORuT6xI=");
  }

  @Test
  void oneMillionBytesInUnevenChunksAndSingleBytesPassThroughUnchanged() throws IOException {
    byte[] data = "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    HashingOutputStream out = new HashingOutputStream(target, List.of(Checksum.SHA1_BASE64));
    int offset = 0;
    for (int chunk = 1; offset < data.length; chunk = chunk * 3 % 65_537 + 1) {
      int n = Math.min(chunk, data.length - offset);
      if (n == 1) {
        out.write(data[offset]);
      } else {
        out.write(data, offset, n);
      }
      offset += n;
    }
    out.close();
    assertThat(target.toByteArray()).isEqualTo(data);
    assertThat(out.size()).isEqualTo(1_000_000);
    assertThat(out.checksums()).containsExactlyInAnyOrderEntriesOf(
        Map.of(Checksum.SHA256, MILLION_A_SHA256, Checksum.SHA1_BASE64, MILLION_A_SHA1_BASE64));
  }

  @Test
  void onlySha256UnlessMoreIsAskedFor() {
    HashingOutputStream out = new HashingOutputStream(OutputStream.nullOutputStream(), List.of());
    assertThat(out.checksums()).containsOnlyKeys(Checksum.SHA256);
    assertThat(out.computes(Checksum.SHA1_BASE64)).isFalse();
  }

  @Test
  void readingThroughItHashesWhatIsRead() throws IOException {
    byte[] data = "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
    HashingOutputStream hashes = new HashingOutputStream(OutputStream.nullOutputStream(), List.of(Checksum.SHA1_BASE64));
    InputStream in = hashes.hashing(new ByteArrayInputStream(data));
    assertThat(in.read()).isEqualTo('a');
    assertThat(in.readNBytes(999)).hasSize(999);
    in.transferTo(OutputStream.nullOutputStream());
    assertThat(hashes.size()).isEqualTo(1_000_000);
    assertThat(hashes.checksums()).containsEntry(Checksum.SHA256, MILLION_A_SHA256)
        .containsEntry(Checksum.SHA1_BASE64, MILLION_A_SHA1_BASE64);
  }

  private static Map<Checksum, String> hash(String text) throws IOException {
    HashingOutputStream out = new HashingOutputStream(OutputStream.nullOutputStream(), List.of(Checksum.SHA1_BASE64));
    out.write(text.getBytes(StandardCharsets.UTF_8));
    return out.checksums();
  }
}
