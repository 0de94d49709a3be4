package dev.lifeboat.storage;

import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.S3ProxyServer;
import dev.lifeboat.testsupport.S3cmd;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lifeboat started with {@code lifeboat.storage.type=s3} against a real S3 server (S3Proxy) and a
 * real etcd: the etcd-snapshot runbook stores its archive in the bucket; s3cmd reads it back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageIT {

  private static final String BUCKET = "lifeboat-backups";

  private Path temp;
  private S3ProxyServer s3;
  private S3cmd s3cmd;
  private EtcdProcess etcd;
  private LifeboatApp lifeboat;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    s3 = S3ProxyServer.start(temp);
    s3cmd = S3cmd.against(s3, temp);
    s3cmd.makeBucket(BUCKET);
    etcd = EtcdProcess.startSingle(temp);
    fill(etcd.clientEndpoints(), 500);
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), s3Properties(BUCKET));
  }

  @AfterAll
  void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (etcd != null) {
      etcd.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private Map<String, String> s3Properties(String bucket) {
    return s3.storageProperties(bucket, "backup-store", temp.resolve("secrets"));
  }

  @Test
  void anEtcdSnapshotRunStoresItsArchiveInTheBucketAndTheDownloadMatchesTheCatalogue() throws IOException {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    JsonNode outputs = run.get("outputs");
    String backupId = outputs.get("backupId").asText();

    List<String> keys = s3cmd.keys(BUCKET, "");
    assertThat(keys).as("one archive, nothing left in staging").hasSize(1);
    String key = keys.getFirst();
    assertThat(key).startsWith("lifeboat/").contains(backupId);
    assertThat(outputs.get("path").asText()).isEqualTo("s3://" + BUCKET + "/" + key);
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();

    JsonNode backup = lifeboat.get(OPERATOR, "/api/backups/" + backupId).json();
    String sha256 = backup.get("sha256").asText();
    assertThat(sha256).isEqualTo(outputs.get("sha256").asText());
    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    assertThat(archive).hasSize(backup.get("size").asInt());
    assertThat(Sha256.of(new ByteArrayInputStream(archive))).isEqualTo(sha256);
    assertThat(s3cmd.sha256(BUCKET, key)).isEqualTo(sha256);

    // Uploads go through the same staging: a damaged one leaves nothing, a good one is stored again.
    assertThat(lifeboat.delete(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(204);
    assertThat(s3cmd.keys(BUCKET, "")).isEmpty();
    var truncated = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot",
        Arrays.copyOf(archive, archive.length / 2));
    assertThat(truncated.status()).as(truncated.body()).isEqualTo(400);
    assertThat(truncated.body()).contains("corrupt or truncated");
    assertThat(s3cmd.keys(BUCKET, "")).isEmpty();
    var reupload = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot&sha256=" + sha256, archive);
    assertThat(reupload.status()).as(reupload.body()).isEqualTo(201);
    assertThat(s3cmd.keys(BUCKET, "")).containsExactly(key);
    assertThat(s3cmd.sha256(BUCKET, key)).isEqualTo(sha256);
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
  }

  @Test
  void aFailedRunLeavesNothingInTheBucket() {
    List<String> before = s3cmd.keys(BUCKET, "");
    String dead = "http://127.0.0.1:" + FreePorts.next();
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", dead));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(3), "FAILED", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(s3cmd.keys(BUCKET, "")).isEqualTo(before);
    assertThat(s3cmd.keys(BUCKET, "lifeboat/.staging/")).isEmpty();
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
  }

  @Test
  void aRunCanceledMidStreamLeavesNoObjectAndNoIncompleteUpload() throws Exception {
    try (EtcdProcess large = EtcdProcess.startSingle(temp)) {
      fillRandom(large.clientEndpoints(), 120); // 120 MiB that do not compress: many parts, seconds of streaming
      List<String> before = s3cmd.keys(BUCKET, "");
      String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", large.clientEndpoints()));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (s3cmd.multipartUploads(BUCKET).isEmpty()) {
        assertThat(System.nanoTime()).as("the snapshot's multipart upload never started").isLessThan(deadline);
        LifeboatApp.sleep(100);
      }
      var canceled = lifeboat.post(OPERATOR, "/api/runs/" + runId + "/cancel", Map.of());
      assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);

      // The worker learns of the cancel when it next reports or when its stream ends; whichever it
      // is, what it staged must go, and nothing may appear afterwards.
      awaitEmptyStagingFor(Duration.ofMinutes(2), before);
      LifeboatApp.sleep(5_000);
      assertThat(s3cmd.keys(BUCKET, "")).isEqualTo(before);
      assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
      assertThat(lifeboat.get(OPERATOR, "/api/runs/" + runId).json().get("status").asText()).isEqualTo("CANCELED");
    }
  }

  private void awaitEmptyStagingFor(Duration timeout, List<String> before) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(s3cmd.keys(BUCKET, "").equals(before) && s3cmd.multipartUploads(BUCKET).isEmpty())) {
      assertThat(System.nanoTime()).as("after the cancel the bucket still holds " + s3cmd.keys(BUCKET, "")
          + " and uploads " + s3cmd.multipartUploads(BUCKET)).isLessThan(deadline);
      LifeboatApp.sleep(500);
    }
  }

  @Test
  void aMissingBucketStopsLifeboatAtStartUpSayingWhatToChange() {
    Throwable failure = catchThrowable(
        () -> LifeboatApp.start(temp.resolve("lifeboat-no-bucket"), s3Properties("no-such-bucket")));
    assertThat(cause(failure, StorageUnavailableException.class))
        .hasMessageContaining("does not exist: s3://no-such-bucket at " + s3.endpoint())
        .hasMessageContaining("set lifeboat.storage.s3.bucket to an existing bucket");
  }

  @Test
  void refusedCredentialsStopLifeboatAtStartUp() {
    Map<String, String> props = s3Properties(BUCKET);
    props.putAll(s3.credentialProperties("backup-store", temp.resolve("wrong-secrets"), "wrong-secret-value"));
    Throwable failure = catchThrowable(() -> LifeboatApp.start(temp.resolve("lifeboat-wrong-key"), props));
    assertThat(cause(failure, StorageUnavailableException.class))
        .hasMessageContaining("refused the credentials 'backup-store'")
        .hasMessageContaining("lifeboat.credentials.backup-store.password-file");
    assertThat(failure).hasStackTraceContaining("403");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("wrong-secret-value");
    }
  }

  private static Throwable cause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in", failure);
  }

  private static void fillRandom(String endpoints, int mebibytes) throws Exception {
    Random random = new Random(13);
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      for (int i = 0; i < mebibytes; i++) {
        byte[] value = new byte[1 << 20];
        random.nextBytes(value);
        client.getKVClient().put(ByteSequence.from("/large/key-" + i, StandardCharsets.UTF_8), ByteSequence.from(value))
            .get();
      }
    }
  }

  private static void fill(String endpoints, int keys) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      CompletableFuture<?>[] puts = new CompletableFuture<?>[keys];
      for (int i = 0; i < keys; i++) {
        puts[i] = client.getKVClient().put(ByteSequence.from("/s3-test/key-" + i, StandardCharsets.UTF_8),
            ByteSequence.from("value-" + i, StandardCharsets.UTF_8));
      }
      CompletableFuture.allOf(puts).get();
    }
  }
}
