package dev.lifeboat.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import dev.lifeboat.objectstore.ObjectStoreProperties;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.storage.BackupRepository.Staging;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.S3ProxyServer;
import dev.lifeboat.testsupport.S3cmd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The S3 backup repository against a real S3 server (S3Proxy); what it left is read with s3cmd. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BackupRepositoryIT {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "lifeboat_backups"; // not a DNS name, like Deis's db_wal

  private Path temp;
  private S3ProxyServer server;
  private S3cmd s3cmd;
  private S3BackupRepository repository;

  @BeforeAll
  void start(@TempDir Path temp) {
    this.temp = temp;
    server = S3ProxyServer.start(temp);
    s3cmd = S3cmd.against(server, temp);
    s3cmd.makeBucket(BUCKET);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open() {
    repository = repository(BUCKET, server.endpoint(), server.secretKey());
  }

  @AfterEach
  void close() {
    repository.close();
    for (String key : s3cmd.keys(BUCKET, "")) {
      s3cmd.run("del", "s3://" + BUCKET + "/" + key);
    }
  }

  private S3BackupRepository repository(String bucket, String endpoint, String secret) {
    Path file = temp.resolve("secret-" + Integer.toHexString(secret.hashCode()));
    try {
      Files.writeString(file, secret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Credentials credentials = new Credentials(new CredentialsProperties(Map.of(
        "backups", new Credential(server.accessKey(), null, file, null, null, null))));
    StorageProperties properties = new StorageProperties(StorageProperties.Type.S3,
        new StorageProperties.Local(temp.resolve("unused")),
        new StorageProperties.S3(endpoint, null, bucket, "lifeboat/", "backups"));
    return new S3BackupRepository(properties, new ObjectStores(credentials, ObjectStoreProperties.defaults()));
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void stageWriteCommitMakesOneObjectWithTheExpectedSha256() throws IOException {
    byte[] archive = random(21 * MIB + 4321, 1); // three 8 MiB parts, the last one short
    String expected = Sha256.of(new ByteArrayInputStream(archive));
    Staging staging = repository.stage("run-commit");
    try (OutputStream out = staging.out()) {
      for (int off = 0; off < archive.length; off += 100_000) {
        out.write(archive, off, Math.min(100_000, archive.length - off));
      }
    }
    try (InputStream staged = repository.openStaged(staging.id())) {
      assertThat(Sha256.of(staged)).isEqualTo(expected); // verification reads the staged archive back
    }
    assertThat(repository.stagedSize(staging.id())).isEqualTo(archive.length);

    repository.commit(staging.id(), "20261130-120000.abc.tar.gz");

    assertThat(s3cmd.keys(BUCKET, "")).containsExactly("lifeboat/20261130-120000.abc.tar.gz");
    assertThat(s3cmd.sha256(BUCKET, "lifeboat/20261130-120000.abc.tar.gz")).isEqualTo(expected);
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
    assertThat(repository.describe("20261130-120000.abc.tar.gz"))
        .isEqualTo("s3://" + BUCKET + "/lifeboat/20261130-120000.abc.tar.gz");
    try (InputStream in = repository.open("20261130-120000.abc.tar.gz")) {
      assertThat(Sha256.of(in)).isEqualTo(expected);
    }
    // Listed by name prefix, as the body sweep lists bodies: name, size, time.
    assertThat(repository.list("20261130-120000.")).singleElement().satisfies(stored -> {
      assertThat(stored.name()).isEqualTo("20261130-120000.abc.tar.gz");
      assertThat(stored.size()).isEqualTo(archive.length);
      assertThat(stored.modified()).isNotNull();
    });
    assertThat(repository.list("body-sha256-")).isEmpty();
  }

  @Test
  void discardLeavesNoObjectAndNoIncompleteUpload() throws IOException {
    Staging writing = repository.stage("run-discard");
    writing.out().write(random(10 * MIB, 2)); // a part is on the server, the rest in memory
    assertThat(s3cmd.multipartUploads(BUCKET)).hasSize(1);
    Staging written = repository.stage("run-discard");
    try (OutputStream out = written.out()) {
      out.write(random(MIB, 3));
    }
    assertThat(s3cmd.keys(BUCKET, "")).containsExactly("lifeboat/.staging/" + written.id());

    repository.discard(writing.id());
    repository.discard(written.id());

    assertThat(s3cmd.keys(BUCKET, "")).isEmpty();
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
  }

  @Test
  void discardStagedForAbortsTheRunsUploadsAndKeepsOtherRuns() throws IOException {
    Staging open = repository.stage("run-x");
    open.out().write(random(9 * MIB, 4));
    Staging closed = repository.stage("run-x");
    try (OutputStream out = closed.out()) {
      out.write(random(2 * MIB, 5));
    }
    Staging other = repository.stage("run-y");
    other.out().write(random(9 * MIB, 6));
    assertThat(s3cmd.multipartUploads(BUCKET)).hasSize(2);

    // Another instance (or this one after a restart) cleaning up: it never saw these uploads.
    try (S3BackupRepository another = repository(BUCKET, server.endpoint(), server.secretKey())) {
      another.discardStagedFor("run-x");
    }

    assertThat(s3cmd.keys(BUCKET, "")).isEmpty();
    assertThat(s3cmd.multipartUploads(BUCKET)).hasSize(1).allMatch(line -> line.contains(".staging/run-y/"));
    assertThatThrownBy(() -> open.out().close()).isInstanceOf(IOException.class);

    repository.discardStagedFor("run-y");
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
  }

  @Test
  void aMissingBucketStopsStartUpNamingTheSetting() {
    assertThatThrownBy(() -> repository("no_such_bucket", server.endpoint(), server.secretKey()))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("does not exist: s3://no_such_bucket at " + server.endpoint())
        .hasMessageContaining("lifeboat.storage.s3.bucket");
  }

  @Test
  void refusedCredentialsStopStartUpWithoutShowingTheSecret() {
    String wrong = "not-the-secret-" + System.nanoTime();
    assertThatThrownBy(() -> repository(BUCKET, server.endpoint(), wrong))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("refused the credentials 'backups'")
        .hasMessageContaining("lifeboat.credentials.backups.password-file")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(server.secretKey());
  }

  @Test
  void anUnreachableStoreStopsStartUpNamingTheEndpoint() {
    String dead = "http://127.0.0.1:" + FreePorts.next();
    assertThatThrownBy(() -> repository(BUCKET, dead, server.secretKey()))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("cannot be reached")
        .hasMessageContaining("lifeboat.storage.s3.endpoint");
  }
}
