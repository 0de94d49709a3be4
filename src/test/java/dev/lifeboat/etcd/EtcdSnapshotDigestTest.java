package dev.lifeboat.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.archive.Sha256;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EtcdSnapshotDigestTest {

  /** A fake snapshot as etcd streams it: 512-byte pages followed by the sha256 of the pages. */
  private static byte[] snapshot(int pages) {
    byte[] content = new byte[pages * 512];
    new Random(pages).nextBytes(content);
    MessageDigest sha = Sha256.newDigest();
    byte[] hash = sha.digest(content);
    byte[] stream = new byte[content.length + 32];
    System.arraycopy(content, 0, stream, 0, content.length);
    System.arraycopy(hash, 0, stream, content.length, 32);
    return stream;
  }

  private static EtcdSnapshotDigest.Result digest(byte[] stream, int chunk) {
    EtcdSnapshotDigest digest = new EtcdSnapshotDigest(stream.length);
    for (int off = 0; off < stream.length; off += chunk) {
      digest.update(stream, off, Math.min(chunk, stream.length - off));
    }
    return digest.finish();
  }

  @Test
  void validSnapshotIsRecognisedWhateverTheChunking() throws Exception {
    byte[] stream = snapshot(37);
    for (int chunk : new int[] {1, 7, 31, 32, 33, 512, 4096, stream.length}) {
      EtcdSnapshotDigest.Result result = digest(stream, chunk);
      assertThat(result.hasHash()).isTrue();
      assertThat(result.valid()).as("chunk " + chunk).isTrue();
      assertThat(result.fileSha256()).isEqualTo(Sha256.of(new ByteArrayInputStream(stream)));
    }
  }

  @Test
  void flippedByteIsCaught() {
    byte[] stream = snapshot(10);
    stream[1000] ^= 1;
    EtcdSnapshotDigest.Result result = digest(stream, 100);
    assertThat(result.valid()).isFalse();
    assertThat(result.computedHash()).isNotEqualTo(result.embeddedHash());
  }

  @Test
  void databaseFileWithoutHashIsSaidToHaveNone() {
    byte[] plain = new byte[1024];
    EtcdSnapshotDigest.Result result = digest(plain, 100);
    assertThat(result.hasHash()).isFalse();
    assertThat(result.valid()).isFalse();
  }

  @Test
  void streamsOfTheWrongLengthAreRefused() {
    byte[] stream = snapshot(2);
    EtcdSnapshotDigest shortDigest = new EtcdSnapshotDigest(stream.length + 10);
    shortDigest.update(stream, 0, stream.length);
    assertThatThrownBy(shortDigest::finish).hasMessageContaining("ended after");
    EtcdSnapshotDigest longDigest = new EtcdSnapshotDigest(10);
    assertThatThrownBy(() -> longDigest.update(stream, 0, stream.length)).hasMessageContaining("longer");
  }
}
