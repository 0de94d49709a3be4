package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.S3ProxyServer;
import dev.lifeboat.testsupport.S3cmd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The S3 implementation against a real S3 server (S3Proxy), checked with Debian's s3cmd. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectStoreIT extends ObjectStoreContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private Path temp;
  private S3ProxyServer server;
  private S3cmd s3cmd;
  private ObjectStores stores;
  private ObjectStore store;
  private String bucket;

  @BeforeAll
  void startServer(@TempDir Path temp) {
    this.temp = temp;
    server = S3ProxyServer.start(temp);
    s3cmd = S3cmd.against(server, temp);
    stores = stores(Map.of("s3test", server.secretKey()), 5);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void createBucket() throws IOException {
    store = stores.open(connection("s3test"));
    bucket = "contract-" + BUCKETS.incrementAndGet();
    store.createBucket(bucket);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  String bucket() {
    return bucket;
  }

  /** Stores with 5 MiB parts (S3's minimum) and the given credentials (name → secret). */
  private ObjectStores stores(Map<String, String> secrets, int maxAttempts) {
    Map<String, Credential> entries = new LinkedHashMap<>();
    secrets.forEach((name, secret) -> {
      Path file = temp.resolve(name + ".secret");
      try {
        Files.writeString(file, secret + "\n");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      entries.put(name, new Credential(server.accessKey(), null, file, null, null, null));
    });
    entries.put("ssh-only", new Credential("ubuntu", Path.of("/nonexistent/id_ed25519"), null, null, null, null));
    ObjectStoreProperties properties = new ObjectStoreProperties(DataSize.ofMegabytes(5), 2, 3, maxAttempts,
        Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(30));
    return new ObjectStores(new Credentials(new CredentialsProperties(entries)), properties);
  }

  private S3Connection connection(String ref) {
    return new S3Connection(server.endpoint(), null, ref);
  }

  @Test
  void aBucketNamedDbWalWorksAsDeisNamesIt() throws IOException {
    if (!store.bucketExists("db_wal")) {
      store.createBucket("db_wal");
    }
    byte[] bytes = random(MIB, 10);
    store.put("db_wal", "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt",
        new ByteArrayInputStream(bytes), bytes.length);
    assertThat(s3cmd.keys("db_wal", "")).contains(
        "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt");
    assertThat(s3cmd.sha256("db_wal", "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt"))
        .isEqualTo(sha256(bytes));
    assertThat(store.listAll("db_wal", "basebackups_005/")).hasSize(1);
    store.delete("db_wal", "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt");
    assertThat(s3cmd.keys("db_wal", "")).isEmpty();
  }

  @Test
  void aMultipartObjectOverFiveMibReadsBackWithS3cmd() throws IOException {
    byte[] bytes = random(13 * MIB + 7, 11);
    try (OutputStream out = store.upload(bucket, "multi/part.bin")) {
      out.write(bytes);
    }
    ObjectInfo stat = store.stat(bucket, "multi/part.bin").orElseThrow();
    assertThat(stat.size()).isEqualTo(bytes.length);
    assertThat(stat.etag()).as("a multipart ETag").contains("-3");
    assertThat(s3cmd.sha256(bucket, "multi/part.bin")).isEqualTo(sha256(bytes));
    assertThat(s3cmd.multipartUploads(bucket)).isEmpty();
  }

  @Test
  void aKnownLengthPutOverAPartIsSentInParts() throws IOException {
    byte[] bytes = random(11 * MIB, 12);
    store.put(bucket, "known/length.bin", new ByteArrayInputStream(bytes), bytes.length);
    assertThat(store.stat(bucket, "known/length.bin").orElseThrow().etag()).contains("-3");
    assertThat(s3cmd.sha256(bucket, "known/length.bin")).isEqualTo(sha256(bytes));
  }

  @Test
  void anOpenUploadIsAPendingMultipartUploadForS3cmdUntilAborted() throws IOException {
    ObjectUpload upload = store.upload(bucket, "open/upload.bin");
    upload.write(random(6 * MIB, 13));
    assertThat(s3cmd.multipartUploads(bucket)).hasSize(1).allMatch(line -> line.contains("open/upload.bin"));
    upload.abort();
    assertThat(s3cmd.multipartUploads(bucket)).isEmpty();
    assertThat(s3cmd.keys(bucket, "")).isEmpty();
  }

  @Test
  void objectsOverTheCopyLimitAreCopiedPartByPart() throws IOException {
    byte[] bytes = random(13 * MIB, 14);
    store.put(bucket, "copy/large", new ByteArrayInputStream(bytes), bytes.length);
    // The real limit is 5 GiB; lowered so that a 13 MiB object takes the multipart-copy path.
    try (ObjectStore partCopier = stores.open(connection("s3test"), 6L * MIB, 5L * MIB)) {
      ObjectInfo copy = partCopier.copy(bucket, "copy/large", "copy/large-copy");
      assertThat(copy.size()).isEqualTo(bytes.length);
    }
    assertThat(store.stat(bucket, "copy/large-copy").orElseThrow().etag()).contains("-3");
    assertThat(s3cmd.sha256(bucket, "copy/large-copy")).isEqualTo(sha256(bytes));
    assertThat(s3cmd.multipartUploads(bucket)).isEmpty();
  }

  @Test
  void aWrongSecretIsRefusedAndNeverAppearsInTheMessage() {
    String wrong = "wrong-secret-" + System.nanoTime();
    ObjectStores wrongStores = stores(Map.of("wrong", wrong), 1);
    try (ObjectStore refused = wrongStores.open(connection("wrong"))) {
      assertThatThrownBy(() -> refused.bucketExists(bucket))
          .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isRefused()).isTrue())
          .hasMessageContaining(server.endpoint())
          .hasMessageNotContaining(wrong).hasMessageNotContaining(server.secretKey());
      assertThatThrownBy(() -> refused.listAll(bucket, ""))
          .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
            assertThat(e.isRefused()).isTrue();
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
          })
          .hasMessageNotContaining(wrong).hasMessageNotContaining(server.secretKey());
    }
  }

  @Test
  void anEndpointWithNobodyListeningIsUnreachableAfterTheRetries() {
    String dead = "http://127.0.0.1:" + FreePorts.next();
    ObjectStores twoTries = stores(Map.of("s3test", server.secretKey()), 2);
    try (ObjectStore unreachable = twoTries.open(new S3Connection(dead, null, "s3test"))) {
      assertThatThrownBy(() -> unreachable.bucketExists("any"))
          .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isUnreachable()).isTrue())
          .hasMessageContaining(dead);
    }
  }

  @Test
  void credentialsThatAreMissingOrOfAnotherKindAreRefusedNamingWhatToConfigure() {
    assertThatThrownBy(() -> stores.open(connection("nobody")))
        .hasMessageContaining("no credentials named 'nobody'");
    assertThatThrownBy(() -> stores.open(connection("ssh-only")))
        .hasMessageContaining("not s3 credentials").hasMessageContaining("password-file");
    assertThatThrownBy(() -> stores.open(connection(null))).hasMessageContaining("lifeboat.credentials");
    assertThatThrownBy(() -> stores.open(new S3Connection("ftp://host", null, "s3test")))
        .hasMessageContaining("not a valid S3 endpoint URL");
  }

  @Test
  void treesGoUpAndComeBackWithBoundedParallelism() throws IOException {
    Path source = temp.resolve("tree-" + bucket);
    for (int i = 0; i < 24; i++) {
      Path file = source.resolve("wal_005/" + (i % 3) + "/segment-" + i);
      Files.createDirectories(file.getParent());
      Files.write(file, random(1000 * i + 1, 100 + i));
    }
    ObjectTransfers.Report up = ObjectTransfers.upload(store, bucket, "tree/", source, 3);
    assertThat(up.complete()).as(up.failures().toString()).isTrue();
    assertThat(up.objects()).isEqualTo(24);
    assertThat(s3cmd.keys(bucket, "tree/")).hasSize(24).contains("tree/wal_005/2/segment-23");

    Path target = temp.resolve("tree-back-" + bucket);
    ObjectTransfers.Report down = ObjectTransfers.download(store, bucket, "tree/", target, 3);
    assertThat(down.complete()).as(down.failures().toString()).isTrue();
    assertThat(down.bytes()).isEqualTo(up.bytes());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(target.resolve(source.relativize(file))).hasSameBinaryContentAs(file);
      }
    }
    assertThat(List.of(target.toFile().list())).containsExactly("wal_005");
  }
}
