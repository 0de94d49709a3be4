package dev.lifeboat.etcd;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.testsupport.AgeTool;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.EtcdService;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.S3ProxyServer;
import dev.lifeboat.testsupport.S3cmd;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.SshdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest end to end, with the archives in S3 (S3Proxy): an etcd snapshot is stored as
 * age ciphertext that Debian's {@code age} decrypts to the same snapshot.db (which etcdctl
 * restores), a restore decrypts it on the fly, and without an identity a restore is refused before
 * its approval.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdEncryptionIT {

  private static final String BUCKET = "lifeboat-encrypted";
  private static final int KEYS = 300;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  Path temp;
  S3ProxyServer s3;
  S3cmd s3cmd;
  SshdProcess sshd;
  EtcdProcess source;
  LifeboatApp lifeboat;
  Map<String, String> properties;
  Path identity;
  String backupId;
  JsonNode backup;
  int targets;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    s3 = S3ProxyServer.start(temp);
    s3cmd = S3cmd.against(s3, temp);
    s3cmd.makeBucket(BUCKET);
    sshd = SshdProcess.start(temp.resolve("sshd"));
    source = EtcdProcess.startSingle(Files.createDirectories(temp.resolve("source")));
    EtcdSnapshotSuite.fill(source.clientEndpoints(), KEYS);
    identity = temp.resolve("backup.key");
    String recipient = AgeTool.keygen(identity);
    Path recipients = Files.writeString(temp.resolve("backup.recipients"), "# restores\n" + recipient + "\n");
    Map<String, String> props = new HashMap<>(
        sshd.lifeboatProperties("etcd-host", temp.resolve("known_hosts"), sshd.knownHostsLine()));
    props.putAll(s3.storageProperties(BUCKET, "backup-store", temp.resolve("secrets")));
    props.put("lifeboat.encryption.age-recipients-file", recipients.toString());
    properties = props;
    lifeboat = startLifeboat(true);
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", source.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    backupId = run.at("/outputs/backupId").asText();
    backup = lifeboat.get(ADMIN, "/api/backups/" + backupId).json();
  }

  @AfterAll
  void stop() {
    Servers.closeAll(lifeboat, source, sshd, s3);
  }

  private LifeboatApp startLifeboat(boolean withIdentity) {
    Map<String, String> props = new HashMap<>(properties);
    if (withIdentity) {
      props.put("lifeboat.encryption.age-identity-file", identity.toString());
    }
    return LifeboatApp.start(temp.resolve("lifeboat"), props);
  }

  @Test
  void theArchiveInTheBucketIsAgeCiphertextThatAgeDecryptsToTheSnapshotEtcdctlRestores() throws Exception {
    assertThat(backup.get("encrypted").asBoolean()).isTrue();
    String key = "lifeboat/" + backupId + ".tar.gz.age";
    assertThat(s3cmd.keys(BUCKET, "lifeboat/")).contains(key).allMatch(name -> name.endsWith(".tar.gz.age"));
    Path stored = temp.resolve("stored.tar.gz.age");
    s3cmd.get(BUCKET, key, stored);
    assertThat(Files.readString(stored.resolveSibling("stored.tar.gz.age"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .startsWith("age-encryption.org/v1\n");
    assertThat(sha256(stored)).isEqualTo(backup.get("sha256").asText());
    assertThat(Files.size(stored)).isEqualTo(backup.get("size").asLong());
    byte[] download = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    assertThat(sha256(download)).isEqualTo(backup.get("sha256").asText());

    Path plain = temp.resolve("plain.tar.gz");
    AgeTool.Result decrypted = AgeTool.age("-d", "-i", identity.toString(), "-o", plain.toString(), stored.toString());
    assertThat(decrypted.exitCode()).as(decrypted.stderr()).isZero();
    assertThat(sha256(plain)).isEqualTo(backup.get("plaintextSha256").asText())
        .isNotEqualTo(backup.get("sha256").asText());
    Path unpacked = Files.createDirectories(temp.resolve("unpacked"));
    exec(unpacked, "tar", "xzf", plain.toString());
    Path snapshot = unpacked.resolve("snapshot.db");
    assertThat(sha256(snapshot)).isEqualTo(backup.at("/metadata/snapshot/sha256").asText());
    Path restored = temp.resolve("restored-by-hand");
    Etcdctl.snapshotRestore(snapshot, restored, "by-hand", "http://127.0.0.1:2380");
    assertThat(restored.resolve("member/snap/db")).exists();
  }

  @Test
  void aRestoreDecryptsOnTheFlyAndWithoutAnIdentityIsRefusedBeforeItsApproval() throws Exception {
    EtcdService target = target();
    String runId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(target));
    JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
    assertThat(lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "encrypted drill")).status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(KEYS);

    lifeboat.close();
    lifeboat = startLifeboat(false);
    try {
      EtcdService other = target();
      String refusedId = lifeboat.startRun(OPERATOR, "etcd-restore", parameters(other));
      JsonNode refused = lifeboat.awaitRun(refusedId, RUN_TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
      assertThat(refused.get("status").asText()).isEqualTo("FAILED");
      assertThat(refused.get("message").asText()).contains(backupId).contains("age-encrypted")
          .contains("lifeboat.encryption.age-identity-file").doesNotContain(secretKey());
      assertThat(refused.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
      assertThat(refused.toString()).doesNotContain("Approve the restore\",\"status\":\"COMPLETED");
      assertThat(other.healthy()).isTrue();
      assertThat(Etcdctl.countKeys(other.clientUrl(), "/old/")).isEqualTo(1);
    } finally {
      lifeboat.close();
      lifeboat = startLifeboat(true);
    }
  }

  @Test
  void aMigrationStoresItsSnapshotEncryptedInTheBucketAndRestoresFromThere() throws Exception {
    List<String> before = s3cmd.keys(BUCKET, "lifeboat/");
    EtcdService target = target();
    Map<String, Object> parameters = target.restoreParameters(sshd.host(), "etcd-host");
    parameters.remove("backupId");
    parameters.put("sourceEndpoints", source.clientEndpoints());
    String runId = lifeboat.startRun(OPERATOR, "etcd-migration", parameters);
    JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
    assertThat(lifeboat.post(APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "migration through the bucket")).status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/clustersMatch").asBoolean()).isTrue();
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/lifeboat-test/")).isEqualTo(KEYS);

    String migrated = run.at("/outputs/backupId").asText();
    assertThat(migrated).isNotBlank();
    List<String> added = new java.util.ArrayList<>(s3cmd.keys(BUCKET, "lifeboat/"));
    added.removeAll(before);
    assertThat(added).containsExactly("lifeboat/" + migrated + ".tar.gz.age");
    JsonNode stored = lifeboat.get(ADMIN, "/api/backups/" + migrated).json();
    assertThat(stored.get("encrypted").asBoolean()).isTrue();
    assertThat(s3cmd.sha256(BUCKET, added.getFirst())).isEqualTo(stored.get("sha256").asText());
    assertThat(s3cmd.multipartUploads(BUCKET)).isEmpty();
  }

  @Test
  void anEncryptedArchiveIsUploadedAsItIsAndDecryptedToBeChecked() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", source.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    String id = run.at("/outputs/backupId").asText();
    JsonNode before = lifeboat.get(ADMIN, "/api/backups/" + id).json();
    byte[] ciphertext = lifeboat.download(OPERATOR, "/api/backups/" + id + "/content");
    assertThat(lifeboat.delete(OPERATOR, "/api/backups/" + id).status()).isEqualTo(204);
    byte[] damaged = ciphertext.clone();
    damaged[damaged.length / 2] ^= 1;
    LifeboatApp.Response refused = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", damaged);
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    LifeboatApp.Response uploaded = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot&sha256="
        + sha256(ciphertext), ciphertext);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    JsonNode after = uploaded.json();
    assertThat(after.get("encrypted").asBoolean()).isTrue();
    assertThat(after.get("sha256").asText()).isEqualTo(before.get("sha256").asText());
    assertThat(after.get("plaintextSha256").asText()).isEqualTo(before.get("plaintextSha256").asText());
  }

  /** A member holding data, so that a restore needs an approval. */
  private EtcdService target() {
    EtcdService target = EtcdService.start(temp.resolve("target-" + targets++), "target" + targets);
    Etcdctl.put(target.clientUrl(), "/old/key", "old");
    return target;
  }

  private Map<String, Object> parameters(EtcdService target) {
    Map<String, Object> parameters = target.restoreParameters(sshd.host(), "etcd-host");
    parameters.put("backupId", backupId);
    return parameters;
  }

  private String secretKey() throws Exception {
    return Files.readAllLines(identity).stream().filter(line -> line.startsWith("AGE-SECRET-KEY-1")).findFirst()
        .orElseThrow();
  }

  private static String sha256(Path file) throws Exception {
    try (var in = Files.newInputStream(file)) {
      return Sha256.of(in);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Sha256.of(new java.io.ByteArrayInputStream(bytes));
  }

  private static void exec(Path directory, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
