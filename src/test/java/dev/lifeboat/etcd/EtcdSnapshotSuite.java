package dev.lifeboat.etcd;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd-snapshot runbook end to end against real etcd processes, through Lifeboat's HTTP API.
 * Subclasses choose the database (H2 file, a real PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EtcdSnapshotSuite {

  private static final int KEYS = 3000;

  Path temp;

  LifeboatApp lifeboat;
  EtcdProcess etcd;

  /** Extra configuration for this database. */
  abstract Map<String, String> databaseProperties();

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    etcd = EtcdProcess.startSingle(temp);
    fill(etcd.clientEndpoints(), KEYS);
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), databaseProperties());
  }

  @AfterAll
  void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void snapshotOfThousandsOfKeysRestoresWithEtcdctlAndEveryKeyIsThere() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot",
        Map.of("endpoints", etcd.clientEndpoints(), "notes", "before upgrade"));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    for (JsonNode step : run.get("steps")) {
      assertThat(step.get("status").asText()).as(step.toString()).isEqualTo("COMPLETED");
    }
    JsonNode outputs = run.get("outputs");
    String backupId = outputs.get("backupId").asText();
    assertThat(backupId).matches("[0-9]{8}-[0-9]{6}\\.[0-9a-f]+(-[0-9]+)?");
    assertThat(Path.of(outputs.get("path").asText())).exists();

    JsonNode backup = lifeboat.get(OPERATOR, "/api/backups/" + backupId).json();
    assertThat(backup.get("kind").asText()).isEqualTo("etcd-snapshot");
    assertThat(backup.get("createdBy").asText()).isEqualTo(OPERATOR);
    assertThat(backup.get("runId").asText()).isEqualTo(runId);
    assertThat(backup.get("notes").asText()).isEqualTo("before upgrade");
    assertThat(backup.get("source").asText()).matches("[0-9a-f]+").isEqualTo(backup.at("/metadata/clusterId").asText());
    assertThat(backup.at("/metadata/keyCount").asLong()).isEqualTo(KEYS);
    assertThat(backup.get("sha256").asText()).isEqualTo(outputs.get("sha256").asText());

    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    assertThat(archive).hasSize(backup.get("size").asInt());
    assertThat(Sha256.of(new ByteArrayInputStream(archive))).isEqualTo(backup.get("sha256").asText());

    Map<String, byte[]> entries = untar(archive);
    assertThat(entries.keySet()).containsExactly("snapshot.db", "metadata.json");
    Path snapshot = temp.resolve("restore/snapshot.db");
    Files.createDirectories(snapshot.getParent());
    Files.write(snapshot, entries.get("snapshot.db"));

    // Restore exactly as an operator would, then start a fresh etcd on the restored data.
    Path restoredData = temp.resolve("restore/data");
    int peerPort = FreePorts.next();
    int clientPort = FreePorts.next();
    String peerUrl = "http://127.0.0.1:" + peerPort;
    Etcdctl.snapshotRestore(snapshot, restoredData, "restored", peerUrl);
    Process restored = new ProcessBuilder("etcd", "--name", "restored", "--data-dir", restoredData.toString(),
        "--listen-client-urls", "http://127.0.0.1:" + clientPort,
        "--advertise-client-urls", "http://127.0.0.1:" + clientPort,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "restored=" + peerUrl)
        .redirectErrorStream(true).redirectOutput(temp.resolve("restore/etcd.log").toFile()).start();
    try {
      String endpoint = "http://127.0.0.1:" + clientPort;
      awaitHealthy(endpoint);
      assertThat(Etcdctl.countKeys(endpoint, "/lifeboat-test/")).isEqualTo(KEYS);
      assertThat(Etcdctl.get(endpoint, "/lifeboat-test/key-01234")).isEqualTo(value(1234));
    } finally {
      restored.destroy();
      restored.waitFor();
    }
  }

  @Test
  void theRunsGzipLevelIsTheArchives() {
    Map<Integer, byte[]> archives = new TreeMap<>();
    for (int level : List.of(1, 9)) {
      String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot",
          Map.of("endpoints", etcd.clientEndpoints(), "gzipLevel", Integer.toString(level)));
      JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      archives.put(level, lifeboat.download(ADMIN, "/api/backups/" + run.at("/outputs/backupId").asText() + "/content"));
    }
    // The gzip header's XFL says which: 4 for the fastest level, 2 for the smallest (RFC 1952).
    assertThat(archives.get(1)[8]).isEqualTo((byte) 4);
    assertThat(archives.get(9)[8]).isEqualTo((byte) 2);
    assertThat(archives.get(1).length).as("level 1 is the larger").isGreaterThan(archives.get(9).length);
  }

  @Test
  void threeMemberClusterSnapshotsToo() {
    try (EtcdProcess cluster = EtcdProcess.startCluster(temp, 3)) {
      Etcdctl.put(cluster.clientEndpoints(), "/three/a", "1");
      String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", cluster.clientEndpoints()));
      JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      JsonNode backup = lifeboat.get(OPERATOR, "/api/backups/" + run.get("outputs").get("backupId").asText()).json();
      assertThat(backup.at("/metadata/members")).hasSize(3);
      assertThat(backup.at("/metadata/endpoints")).hasSize(3);
    }
  }

  @Test
  void twoRunsOfOneClusterStartedAtTheSameMomentMakeTwoBackups() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService operators = Executors.newFixedThreadPool(2);
    List<String> runIds = new ArrayList<>();
    try {
      List<Future<String>> started = new ArrayList<>();
      for (String operator : List.of(OPERATOR, OPERATOR_2)) {
        started.add(operators.submit(() -> {
          start.await();
          return lifeboat.startRun(operator, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
        }));
      }
      start.countDown();
      for (Future<String> runId : started) {
        runIds.add(runId.get());
      }
    } finally {
      operators.shutdownNow();
    }
    List<JsonNode> backups = new ArrayList<>();
    for (String runId : runIds) {
      JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + run.at("/outputs/backupId").asText()).json();
      assertThat(backup.get("runId").asText()).isEqualTo(runId);
      assertThat(backup.get("sha256").asText()).isEqualTo(run.at("/outputs/sha256").asText());
      byte[] archive = lifeboat.download(ADMIN, "/api/backups/" + backup.get("id").asText() + "/content");
      assertThat(Sha256.of(new ByteArrayInputStream(archive))).as("the archive is the one catalogued")
          .isEqualTo(backup.get("sha256").asText());
      assertThat(new String(untar(archive).get("metadata.json"), StandardCharsets.UTF_8)).contains(runId);
      backups.add(backup);
    }
    assertThat(backups.get(0).get("id").asText()).isNotEqualTo(backups.get(1).get("id").asText());
    assertThat(backups.get(0).get("sha256").asText()).isNotEqualTo(backups.get(1).get("sha256").asText());
    assertThat(backups.get(0).get("source").asText()).isEqualTo(backups.get(1).get("source").asText());
    try (Stream<Path> staged = Files.list(temp.resolve("lifeboat/backups/.staging"))) {
      assertThat(staged.toList()).isEmpty();
    }
  }

  @Test
  void deadEndpointFailsWithinThreeMinutesNamingItAndLeavesNothing() throws IOException {
    int before = lifeboat.get(ADMIN, "/api/backups").json().size();
    String dead = "http://127.0.0.1:" + FreePorts.next();
    Instant started = Instant.now();
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", dead));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(3), "FAILED", "COMPLETED");
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMinutes(3));
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains(dead).contains("Check the cluster");
    assertThat(lifeboat.get(ADMIN, "/api/backups").json().size()).isEqualTo(before);
    try (Stream<Path> staged = Files.list(temp.resolve("lifeboat/backups/.staging"))) {
      assertThat(staged.toList()).isEmpty();
    }
  }

  @Test
  void parametersAreCheckedBeforeAnythingStarts() {
    var missing = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-snapshot", "parameters", Map.of()));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("endpoints");
    var unknown = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-snapshot",
        "parameters", Map.of("endpoints", etcd.clientEndpoints(), "endpoint", "x")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown parameter 'endpoint'");
    var badUrl = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-snapshot",
        "parameters", Map.of("endpoints", "etcd-0:2379; rm -rf /")));
    assertThat(badUrl.status()).isEqualTo(400);
    var badLevel = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-snapshot",
        "parameters", Map.of("endpoints", etcd.clientEndpoints(), "gzipLevel", "12")));
    assertThat(badLevel.status()).isEqualTo(400);
    assertThat(badLevel.body()).contains("gzipLevel").contains("not a gzip level: 1 (fastest) to 9 (smallest)");
    var noRunbook = lifeboat.post(OPERATOR, "/api/runs", Map.of("runbook", "etcd-nothing", "parameters", Map.of()));
    assertThat(noRunbook.status()).isEqualTo(400);
    assertThat(noRunbook.body()).contains("unknown runbook");
  }

  @Test
  void uploadsAreVerifiedAndCorruptedOnesRefused() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(2), "COMPLETED", "FAILED");
    String backupId = run.get("outputs").get("backupId").asText();
    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    Map<String, byte[]> entries = untar(archive);

    byte[] flipped = entries.get("snapshot.db").clone();
    flipped[flipped.length / 2] ^= 0x5a;
    var corrupt = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", tar(Map.of("snapshot.db", flipped,
        "metadata.json", entries.get("metadata.json"))));
    assertThat(corrupt.status()).as(corrupt.body()).isEqualTo(400);
    assertThat(corrupt.body()).contains("corrupt");

    var truncated = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", java.util.Arrays.copyOf(archive, archive.length / 2));
    assertThat(truncated.status()).as(truncated.body()).isEqualTo(400);

    Map<String, byte[]> escaping = new LinkedHashMap<>(entries);
    escaping.put("../../etc/cron.d/evil", "* * * * * root true".getBytes(StandardCharsets.UTF_8));
    var escape = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", tar(escaping));
    assertThat(escape.status()).isEqualTo(400);
    assertThat(escape.body()).contains("escapes the archive");

    var notAnArchive = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(notAnArchive.status()).isEqualTo(400);

    var duplicate = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot", archive);
    assertThat(duplicate.status()).isEqualTo(409);

    assertThat(lifeboat.delete(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(204);
    assertThat(lifeboat.get(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(404);
    var wrongChecksum = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot&sha256=" + "0".repeat(64), archive);
    assertThat(wrongChecksum.status()).isEqualTo(400);
    assertThat(wrongChecksum.body()).contains("checksum mismatch");
    var reupload = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-snapshot&sha256=" + Sha256.of(new ByteArrayInputStream(archive)), archive);
    assertThat(reupload.status()).as(reupload.body()).isEqualTo(201);
    assertThat(reupload.json().get("id").asText()).isEqualTo(backupId);
    assertThat(reupload.json().get("createdBy").asText()).isEqualTo(OPERATOR);
    try (Stream<Path> staged = Files.list(temp.resolve("lifeboat/backups/.staging"))) {
      assertThat(staged.toList()).as("refused uploads leave nothing behind").isEmpty();
    }
  }

  @Test
  void unknownIdsAre404() {
    assertThat(lifeboat.get(OPERATOR, "/api/backups/20200101-000000.nothing").status()).isEqualTo(404);
    assertThat(lifeboat.get(OPERATOR, "/api/runs/no-such-run").status()).isEqualTo(404);
    assertThat(lifeboat.delete(OPERATOR, "/api/backups/20200101-000000.nothing").status()).isEqualTo(404);
  }

  static void fill(String endpoints, int keys) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        puts.add(client.getKVClient().put(bytes(String.format("/lifeboat-test/key-%05d", i)), bytes(value(i))));
        if (puts.size() == 200) {
          CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
          puts.clear();
        }
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
    }
  }

  static String value(int i) {
    return "{\"kind\":\"ConfigMap\",\"name\":\"cm-" + i + "\",\"data\":\"" + "x".repeat(i % 97) + "\"}";
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  static void awaitHealthy(String endpoint) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try {
        Etcdctl.run(endpoint, "endpoint", "health");
        return;
      } catch (RuntimeException | AssertionError e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static Map<String, byte[]> untar(byte[] archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        entries.put(entry.getName(), tar.readAllBytes());
      }
    }
    return entries;
  }

  static byte[] tar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (var e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
