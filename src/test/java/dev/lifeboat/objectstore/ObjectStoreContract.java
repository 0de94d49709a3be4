package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.archive.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} does, run against the in-memory fake and against a real S3 server,
 * so the fake that unit tests use behaves like the real thing.
 */
abstract class ObjectStoreContract {

  static final int MIB = 1024 * 1024;

  /** A store with an existing, empty bucket named {@link #bucket()}. */
  abstract ObjectStore store();

  abstract String bucket();

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws IOException {
    return Sha256.of(new ByteArrayInputStream(bytes));
  }

  static String sha256(InputStream in) throws IOException {
    try (in) {
      return Sha256.of(in);
    }
  }

  @Test
  void putGetStatAndDelete() throws IOException {
    byte[] bytes = random(100_000, 1);
    ObjectInfo put = store().put(bucket(), "dir/small.bin", new ByteArrayInputStream(bytes), bytes.length);
    assertThat(put.size()).isEqualTo(bytes.length);

    assertThat(sha256(store().get(bucket(), "dir/small.bin"))).isEqualTo(sha256(bytes));
    ObjectInfo stat = store().stat(bucket(), "dir/small.bin").orElseThrow();
    assertThat(stat.size()).isEqualTo(bytes.length);
    assertThat(stat.etag()).isNotBlank();

    store().delete(bucket(), "dir/small.bin");
    assertThat(store().stat(bucket(), "dir/small.bin")).isEmpty();
    store().delete(bucket(), "dir/small.bin"); // again: not an error
  }

  @Test
  void aMissingObjectIsNotFound() {
    assertThatThrownBy(() -> store().get(bucket(), "no/such/key"))
        .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining("no/such/key");
  }

  @Test
  void anUploadOfUnknownLengthAppearsWholeAtCloseAndNotBefore() throws IOException {
    byte[] bytes = random(12 * MIB + 12345, 2);
    ObjectUpload upload = store().upload(bucket(), "big/object.bin");
    for (int off = 0; off < bytes.length; off += 64 * 1024) {
      upload.write(bytes, off, Math.min(64 * 1024, bytes.length - off));
      if (off == 8 * MIB) {
        assertThat(store().stat(bucket(), "big/object.bin")).as("visible before close").isEmpty();
      }
    }
    upload.close();
    assertThat(upload.completed().size()).isEqualTo(bytes.length);
    assertThat(store().stat(bucket(), "big/object.bin").orElseThrow().size()).isEqualTo(bytes.length);
    assertThat(sha256(store().get(bucket(), "big/object.bin"))).isEqualTo(sha256(bytes));
    assertThat(store().pendingUploads(bucket(), "big/")).isEmpty();
  }

  @Test
  void anAbortedUploadLeavesNothingAndCannotBeClosed() throws IOException {
    ObjectUpload upload = store().upload(bucket(), "aborted/object.bin");
    upload.write(random(6 * MIB, 3));
    upload.abort();
    upload.abort(); // harmless
    assertThatThrownBy(upload::close).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    assertThatThrownBy(() -> upload.write(1)).isInstanceOf(IOException.class);
    assertThat(store().stat(bucket(), "aborted/object.bin")).isEmpty();
    assertThat(store().pendingUploads(bucket(), "aborted/")).isEmpty();
  }

  @Test
  void aLargePutWhoseStreamIsShortStoresNothing() throws IOException {
    byte[] bytes = random(9 * MIB, 4);
    assertThatThrownBy(() -> store().put(bucket(), "short.bin", new ByteArrayInputStream(bytes), bytes.length + 10L))
        .isInstanceOf(IOException.class).hasMessageContaining("nothing was stored");
    assertThat(store().listAll(bucket(), "short")).isEmpty();
  }

  @Test
  void listingIsByPrefixInKeyOrder() throws IOException {
    for (String key : List.of("list/b", "list/a", "list/c/d", "listing-not-this", "other/x")) {
      store().put(bucket(), key, new ByteArrayInputStream(key.getBytes()), key.length());
    }
    assertThat(store().listAll(bucket(), "list/")).extracting(ObjectInfo::key)
        .containsExactly("list/a", "list/b", "list/c/d");
    assertThat(store().listAll(bucket(), "list/").getFirst().size()).isEqualTo("list/a".length());
    assertThat(store().listAll(bucket(), "nothing/")).isEmpty();
  }

  @Test
  void copyMakesASecondObjectWithTheSameBytes() throws IOException {
    byte[] bytes = random(7 * MIB, 5);
    try (OutputStream out = store().upload(bucket(), "copy/source")) {
      out.write(bytes);
    }
    ObjectInfo copy = store().copy(bucket(), "copy/source", "copy/target");
    assertThat(copy.size()).isEqualTo(bytes.length);
    assertThat(sha256(store().get(bucket(), "copy/target"))).isEqualTo(sha256(bytes));
    assertThat(store().stat(bucket(), "copy/source")).isPresent();
  }

  @Test
  void pendingUploadsAreListedUntilAborted() throws IOException {
    ObjectUpload first = store().upload(bucket(), "pending/run-1/a");
    first.write(random(6 * MIB, 6)); // more than a part: a real store has started a multipart upload
    ObjectUpload other = store().upload(bucket(), "pending/run-2/a");
    other.write(random(6 * MIB, 7));
    try {
      List<PendingUpload> pending = store().pendingUploads(bucket(), "pending/run-1/");
      assertThat(pending).extracting(PendingUpload::key).containsExactly("pending/run-1/a");
      store().abort(pending.getFirst());
      assertThat(store().pendingUploads(bucket(), "pending/run-1/")).isEmpty();
      assertThat(store().pendingUploads(bucket(), "pending/")).extracting(PendingUpload::key)
          .containsExactly("pending/run-2/a");
      assertThatThrownBy(first::close).isInstanceOf(IOException.class);
      assertThat(store().stat(bucket(), "pending/run-1/a")).isEmpty();
    } finally {
      first.abort();
      other.abort();
    }
  }

  @Test
  void aMissingBucketIsNotFoundAndExistsSaysSo() throws IOException {
    assertThat(store().bucketExists(bucket())).isTrue();
    assertThat(store().bucketExists("no-such-bucket-here")).isFalse();
    assertThatThrownBy(() -> store().listAll("no-such-bucket-here", ""))
        .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isNotFound()).isTrue());
  }
}
