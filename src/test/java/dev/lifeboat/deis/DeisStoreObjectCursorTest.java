package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeisStoreObjectCursorTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void findsEachKeyOfItsBucketInTheGatewaysOrderSkippingOtherBucketsAndKeysNoLongerThere() throws IOException {
    // As S3 lists them: by UTF-8 bytes, so "é" (0xC3 0xA9) comes after "z" and "~".
    byte[] set = set(List.of(
        object("db_wal", "a"), object("db_wal", "b"), object("db_wal", "z"), object("db_wal", "é"),
        object("registry", "a"), object("registry", "m")));
    try (DeisStoreObjectCursor cursor = DeisStoreObjectCursor.open(new ByteArrayInputStream(set), "set-1", "db_wal", json)) {
      assertThat(cursor.find("a").sha256()).isEqualTo(sha("db_wal", "a"));
      assertThat(cursor.find("aa")).isNull(); // new since the last set
      assertThat(cursor.find("z").sha256()).isEqualTo(sha("db_wal", "z")); // "b" was deleted: passed over
      assertThat(cursor.find("~")).isNull();
      assertThat(cursor.find("é").sha256()).isEqualTo(sha("db_wal", "é"));
      assertThat(cursor.find("m")).isNull(); // registry's "m" is another bucket's
    }
    try (DeisStoreObjectCursor cursor = DeisStoreObjectCursor.open(new ByteArrayInputStream(set), "set-1", "registry", json)) {
      assertThat(cursor.find("m").sha256()).isEqualTo(sha("registry", "m"));
      assertThat(cursor.find("a")).isNull(); // asked out of order: a lost reuse, never a wrong one
    }
  }

  @Test
  void theFirstBackupHasNothingToFindAndASetWithoutAManifestIsRefused() throws IOException {
    try (DeisStoreObjectCursor cursor = DeisStoreObjectCursor.empty()) {
      assertThat(cursor.find("a")).isNull();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArchiveWriter archive = new ArchiveWriter(bytes, 6)) {
      archive.finishWith("other.json", "{}".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> DeisStoreObjectCursor.open(new ByteArrayInputStream(bytes.toByteArray()), "set-1", "db_wal", json))
        .hasMessageContaining("has no manifest.json");
  }

  private byte[] set(List<DeisStoreManifest.StoredObject> objects) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, Object> manifest = Map.of("format", DeisStoreManifest.FORMAT, "objects", objects,
        "storeVolume", Map.of("entry", "store-volume.tar.gz", "warnings", List.of("x")));
    try (ArchiveWriter archive = new ArchiveWriter(bytes, 6)) {
      archive.finishWith(DeisStoreManifest.ENTRY, json.writeValueAsBytes(manifest));
    }
    return bytes.toByteArray();
  }

  private static DeisStoreManifest.StoredObject object(String bucket, String key) {
    return new DeisStoreManifest.StoredObject(bucket, key, 1, "\"etag\"", sha(bucket, key), null);
  }

  private static String sha(String bucket, String key) {
    return bucket + "/" + key;
  }
}
