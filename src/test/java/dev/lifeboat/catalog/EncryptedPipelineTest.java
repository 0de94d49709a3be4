package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.encryption.EncryptionProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The pipeline with age recipients configured: one pass hashes, encrypts and hashes again; reads decrypt and check. */
class EncryptedPipelineTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path temp;

  private PipelineFixture fixture;
  private AgeEncryption encryption;
  private BackupPipeline pipeline;
  private final byte[] plaintext = new byte[300_000];

  @BeforeEach
  void setUp() throws Exception {
    KeyPair key = new X25519KeyPairGenerator().generateKeyPair();
    encryption = new AgeEncryption(new EncryptionProperties(
        Files.writeString(temp.resolve("recipients"), key.getPublic() + "\n"),
        Files.writeString(temp.resolve("identity"), key.getPrivate() + "\n")));
    var database = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    PipelineFixture.migrate(database, null);
    fixture = new PipelineFixture(database);
    pipeline = new BackupPipeline(new BackupIdReservations(fixture.jdbc), fixture.catalog, fixture.repository,
        encryption, Clock.systemUTC());
    new Random(7).nextBytes(plaintext);
  }

  private StagedArchive staged(String runId) throws IOException {
    String id = pipeline.reserveId(AT, "juju-controller-backup", "ctl", runId);
    try (ArchiveStaging staging = pipeline.stage(runId, Checksum.SHA1_BASE64)) {
      staging.out().write(plaintext);
      return staging.finish(new BackupDescription(id, "juju-controller-backup", "ctl", Map.of(), null, AT, AT), "olivia");
    }
  }

  @Test
  void theStoredBytesAreCiphertextWithTheirOwnSha256AndThePlaintextChecksumsAreKept() throws Exception {
    StagedArchive archive = staged("run-1");
    assertThat(archive.encrypted()).isTrue();
    assertThat(archive.plaintextSha256()).isEqualTo(Sha256.of(new ByteArrayInputStream(plaintext)));
    assertThat(archive.checksums()).containsKey("sha1-base64");
    pipeline.verify(archive);
    assertThat(pipeline.store(archive)).endsWith(archive.backupId() + ".tar.gz.age");
    Backup backup = pipeline.catalogue(archive);
    byte[] stored = fixture.repository.archives.get(archive.backupId() + ".tar.gz.age");
    assertThat(new String(stored, 0, 22, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1\n");
    assertThat(backup.sha256()).isEqualTo(Sha256.of(new ByteArrayInputStream(stored))).isEqualTo(archive.sha256());
    assertThat(backup.size()).isEqualTo(stored.length);
    assertThat(backup.encrypted()).isTrue();
    assertThat(backup.plaintextSha256()).isEqualTo(archive.plaintextSha256());
    try (InputStream in = encryption.decrypt(new ByteArrayInputStream(stored))) {
      assertThat(in.readAllBytes()).isEqualTo(plaintext);
    }
    try (InputStream in = VerifiedArchiveStream.of(new ByteArrayInputStream(stored), backup, encryption::decrypt)) {
      assertThat(in.readAllBytes()).isEqualTo(plaintext);
    }
  }

  @Test
  void aChangedStoredByteFailsVerifyAndTheRestoreRead() throws Exception {
    StagedArchive archive = staged("run-1");
    byte[] stored = fixture.repository.staged.get(archive.stagingId()).toByteArray();
    stored[stored.length - 5] ^= 1;
    fixture.repository.staged.get(archive.stagingId()).reset();
    fixture.repository.staged.get(archive.stagingId()).write(stored);
    assertThatThrownBy(() -> pipeline.verify(archive)).isInstanceOf(ArchiveCorruptException.class);

    Backup backup = new Backup("b", "k", "s", archive.sha256(), archive.size(), Map.of(), "b.tar.gz.age", Map.of(),
        null, null, null, AT, AT, AT, null, null, null, true, archive.plaintextSha256());
    assertThatThrownBy(() -> {
      try (InputStream in = VerifiedArchiveStream.of(new ByteArrayInputStream(stored), backup, encryption::decrypt)) {
        in.readAllBytes();
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void aPlainArchiveIsReadAndCheckedAsStored() throws Exception {
    Backup backup = new Backup("b", "k", "s", Sha256.of(new ByteArrayInputStream(plaintext)), plaintext.length,
        Map.of(), "b.tar.gz", Map.of(), null, null, null, AT, AT, AT);
    try (InputStream in = VerifiedArchiveStream.of(new ByteArrayInputStream(plaintext), backup, c -> {
      throw new AssertionError("not encrypted");
    })) {
      assertThat(in.readAllBytes()).isEqualTo(plaintext);
    }
    Backup wrong = new Backup("b", "k", "s", "0".repeat(64), plaintext.length, Map.of(), "b.tar.gz", Map.of(), null,
        null, null, AT, AT, AT);
    assertThatThrownBy(() -> {
      try (InputStream in = VerifiedArchiveStream.of(new ByteArrayInputStream(plaintext), wrong, c -> c)) {
        in.readAllBytes();
      }
    }).hasMessageContaining("damaged or was replaced");
    assertThat(List.of(backup.plaintextSha256())).containsExactly(backup.sha256());
  }
}
