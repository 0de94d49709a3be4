package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.archive.ArchiveWriter;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.InMemoryBackupRepository;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.encryption.EncryptionProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The assembled download's length is known before it is sent, to the byte. */
class DeisStoreAssemblerTest {

  private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final DeisStoreBodies bodies = new DeisStoreBodies(new InMemoryBackupRepository(),
      new AgeEncryption(new EncryptionProperties(null, null)), new InMemoryBodyLedger(), Clock.systemUTC());
  private final DeisStoreAssembler assembler = new DeisStoreAssembler(bodies, json);
  private final Random random = new Random(11);

  @Test
  void theLengthIsExactlyWhatIsSentWithLongAndNonAsciiNamesAndEmptyAndBlockSizedBodies() throws IOException {
    List<DeisStoreManifest.StoredObject> objects = new ArrayList<>();
    int[] sizes = {0, 1, 511, 512, 513, 65_536, 100_001};
    String[] keys = {"a", "wal_005/000000010000000000000002.lzo", "registry/" + "x".repeat(150) + "/layer",
        "registry/images/ünïcødé/tag", "basebackups_005/" + "d/".repeat(60) + "part_00000000.tar.lzo",
        "registry/repositories/library/app/tag_latest", "k"};
    for (int i = 0; i < sizes.length; i++) {
      DeisStoreBodies.Body body = body(sizes[i]);
      objects.add(new DeisStoreManifest.StoredObject(i % 2 == 0 ? "db_wal" : "registry", keys[i], body.size(),
          "etag", body.sha256(), body.md5()));
    }
    DeisStoreBodies.Body volume = body(12_345);
    DeisStoreBodies.Body dump = body(777);
    DeisStoreManifest manifest = new DeisStoreManifest(DeisStoreManifest.FORMAT, DeisStoreManifest.KIND, "id", "c",
        "h", "http://g", List.of(), objects,
        new DeisStoreManifest.Part(DeisStoreManifest.VOLUME_ENTRY, "h:/v", volume.sha256(), volume.size(), List.of()),
        new DeisStoreManifest.Part(DeisStoreManifest.DATABASE_ENTRY, "h", dump.sha256(), dump.size(), List.of()),
        Instant.EPOCH, Instant.EPOCH, null, "olivia", "run");
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (ArchiveWriter writer = new ArchiveWriter(archive, 6)) {
      writer.finishWith(DeisStoreManifest.ENTRY, json.writeValueAsBytes(manifest));
    }

    Backup backup = new Backup("set-1", DeisStoreManifest.KIND, "deis.example.com", "0".repeat(64), archive.size(),
        Map.of(), "set-1.tar.gz", Map.of(), null, "olivia", "run", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    Long length = assembler.length(backup, new ByteArrayInputStream(archive.toByteArray()));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    assembler.write(backup, new ByteArrayInputStream(archive.toByteArray()), sent);

    assertThat(length).isEqualTo(sent.size());
  }

  private DeisStoreBodies.Body body(int size) throws IOException {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bodies.write("run", out -> out.write(bytes));
  }
}
