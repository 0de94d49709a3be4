package dev.lifeboat.backup;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * backup-verify on real etcd snapshots: a good one is restored into a temporary member and proven
 * (verifiedAt, key count and revision); a snapshot corrupted inside an archive whose checksum is
 * right fails at etcdctl snapshot restore, and an archive changed on disk fails its checksum: both
 * FAILED, marked as failed proofs, never proven.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupVerifyIT {

  static final Duration TIMEOUT = Duration.ofMinutes(2);

  LifeboatApp lifeboat;
  EtcdProcess etcd;

  @BeforeAll
  void start() {
    lifeboat = Shared.lifeboat();
    etcd = EtcdProcess.startSingle(Shared.newDirectory("verify-etcd"));
    for (int i = 0; i < 25; i++) {
      Etcdctl.put(etcd.clientEndpoints(), "/verify/key-" + i, "value-" + i);
    }
  }

  @AfterAll
  void stop() {
    etcd.close();
  }

  private String snapshot() {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    return run.at("/outputs/backupId").asText();
  }

  private JsonNode verify(Map<String, String> parameters) {
    String runId = lifeboat.startRun(OPERATOR, "backup-verify", parameters);
    return lifeboat.awaitRun(runId, TIMEOUT, "COMPLETED", "FAILED");
  }

  @Test
  void aRealSnapshotIsRestoredIntoATemporaryMemberAndProven() {
    String backupId = snapshot();
    JsonNode before = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json();
    assertThat(before.has("verifiedAt")).isFalse();

    JsonNode run = verify(Map.of("backupId", backupId));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    JsonNode backup = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json();
    assertThat(backup.get("verifiedAt").asText()).isNotEmpty();
    JsonNode proof = backup.get("proof");
    assertThat(proof.get("status").asText()).isEqualTo("PROVEN");
    assertThat(proof.get("runId").asText()).isEqualTo(run.get("id").asText());
    assertThat(proof.get("method").asText()).contains("sha256").contains("restored with etcdctl")
        .contains("temporary member");
    assertThat(proof.at("/facts/keyCount").asLong()).isEqualTo(before.at("/metadata/keyCount").asLong())
        .isGreaterThanOrEqualTo(25);
    assertThat(proof.at("/facts/revision").asLong()).isEqualTo(before.at("/metadata/revision").asLong());
    assertThat(proof.at("/facts/sha256").asText()).isEqualTo(before.get("sha256").asText());

    // kind and source name the newest backup of the source.
    JsonNode newest = verify(Map.of("kind", "etcd-snapshot", "source", before.get("source").asText()));
    assertThat(newest.get("status").asText()).as(newest.toString()).isEqualTo("COMPLETED");
    assertThat(newest.at("/outputs/backupId").asText()).isEqualTo(backupId);
    JsonNode audit = lifeboat.get(AUDITOR, "/api/audit?action=backup.verified&runId=" + run.get("id").asText()).json();
    assertThat(audit.at("/events/0/details/status").asText()).isEqualTo("PROVEN");
  }

  @Test
  void aCorruptedSnapshotFailsAtRestoreAndIsNotProven() throws Exception {
    String backupId = snapshot();
    JsonNode entry = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json();
    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    byte[] corrupted = withCorruptedSnapshot(archive);
    // The archive's own checksum is right: only etcd's hash inside the snapshot can tell.
    Files.write(storedArchive(backupId), corrupted);
    jdbc().sql("update backups set sha256 = ?, size_bytes = ? where id = ?")
        .params(sha256(corrupted), corrupted.length, backupId).update();

    JsonNode run = verify(Map.of("backupId", backupId));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("is not proven").contains("snapshot restore refused the snapshot");
    JsonNode backup = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json();
    assertThat(backup.has("verifiedAt")).isFalse();
    assertThat(backup.at("/proof/status").asText()).isEqualTo("FAILED");
    assertThat(entry.get("sha256").asText()).isNotEqualTo(sha256(corrupted));
  }

  @Test
  void anArchiveChangedOnDiskFailsItsChecksum() throws Exception {
    String backupId = snapshot();
    Path stored = storedArchive(backupId);
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(stored, bytes);
    JsonNode run = verify(Map.of("backupId", backupId));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).containsAnyOf("the stored archive has", "does not read through");
    JsonNode backup = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json();
    assertThat(backup.has("verifiedAt")).isFalse();
    assertThat(backup.at("/proof/status").asText()).isEqualTo("FAILED");
  }

  private JdbcClient jdbc() {
    return lifeboat.context().getBean(JdbcClient.class);
  }

  private Path storedArchive(String backupId) {
    return Path.of(lifeboat.context().getEnvironment().getProperty("lifeboat.storage.local.directory"))
        .resolve(backupId + ".tar.gz");
  }

  /** The same archive with bytes in the middle of snapshot.db flipped (etcd's appended hash no longer matches). */
  static byte[] withCorruptedSnapshot(byte[] archive) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(archive)));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        byte[] content = in.readAllBytes();
        if (entry.getName().equals("snapshot.db")) {
          for (int i = content.length / 3; i < content.length / 3 + 64; i++) {
            content[i] ^= 0x5a;
          }
        }
        TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
        copy.setSize(content.length);
        tar.putArchiveEntry(copy);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
