package dev.lifeboat.etcd;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.Shared;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd-dump against a real etcd 3.4 member started with --enable-v2=true: thousands of v3 keys
 * (some with leases, some values not UTF-8) and v2 keys written through the v2 HTTP API, fleet's
 * hidden /_coreos.com among them; the catalogued dump is read back with zcat as JSON lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdDumpIT {

  static final int V3_KEYS = 3000;
  static final int LEASED_KEYS = 200;
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Logger log = LoggerFactory.getLogger(EtcdDumpIT.class);

  EtcdProcess source;
  LifeboatApp lifeboat;

  @BeforeAll
  void start() throws Exception {
    source = EtcdProcess.startSingleWithV2(Shared.newDirectory("etcd-dump-source"));
    fillV3(source.clientEndpoints(), "/dump-test/", V3_KEYS, LEASED_KEYS);
    fillV2(source.member(0).clientUrl());
    lifeboat = Shared.lifeboat();
  }

  @AfterAll
  void stop() {
    Servers.closeAll(source);
  }

  @Test
  void aDumpOfV3AndV2KeysIsCataloguedAndReadableWithZcat() throws Exception {
    String runId = lifeboat.startRun(OPERATOR, "etcd-dump", Map.of("endpoints", source.clientEndpoints(),
        "keySpaces", "v2,v3", "hiddenRoots", "/_lifeboat-test", "notes", "drill"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    String backupId = run.at("/outputs/backupId").asText();
    long revision = run.at("/outputs/revision").asLong();
    assertThat(revision).isPositive();

    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + backupId).json();
    assertThat(backup.get("kind").asText()).isEqualTo("etcd-dump");
    assertThat(backup.at("/metadata/keyCounts/v3").asLong()).isEqualTo(V3_KEYS);
    long v2Count = backup.at("/metadata/keyCounts/v2").asLong();
    assertThat(run.at("/outputs/keyCount").asLong()).isEqualTo(V3_KEYS + v2Count);
    assertThat(backup.get("sha256").asText()).isEqualTo(run.at("/outputs/sha256").asText());

    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    Path file = Files.write(Shared.newDirectory("etcd-dump").resolve("dump.jsonl.gz"), archive);
    String text = zcat(file);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      lines.add(JSON.readTree(line));
    }
    JsonNode header = lines.getFirst();
    assertThat(header.get("format").asText()).isEqualTo("lifeboat-etcd-dump/1");
    assertThat(header.get("revision").asLong()).isEqualTo(revision);
    assertThat(header.get("clusterId").asText()).isEqualTo(backup.get("source").asText());
    assertThat(header.get("etcdVersion").asText()).startsWith("3.");
    JsonNode trailer = lines.getLast();
    assertThat(trailer.get("end").asBoolean()).isTrue();
    assertThat(trailer.at("/counts/v3").asLong()).isEqualTo(V3_KEYS);

    Map<String, JsonNode> v3 = new HashMap<>();
    Map<String, JsonNode> v2 = new HashMap<>();
    for (JsonNode line : lines.subList(1, lines.size() - 1)) {
      if (line.get("api").asText().equals("v3")) {
        v3.put(new String(Base64.getDecoder().decode(line.get("key").asText()), StandardCharsets.UTF_8), line);
      } else {
        v2.put(line.get("key").asText(), line);
      }
    }
    assertThat(v3).hasSize(V3_KEYS);
    assertThat(v2).hasSize((int) v2Count);
    JsonNode plain = v3.get(key(LEASED_KEYS + 7));
    assertThat(Base64.getDecoder().decode(plain.get("value").asText())).isEqualTo(value(LEASED_KEYS + 7));
    assertThat(plain.has("ttl")).isFalse();
    JsonNode leased = v3.get(key(3));
    assertThat(leased.get("ttl").asLong()).isBetween(500L, 600L);
    assertThat(leased.get("lease").asText()).isEqualTo(v3.get(key(4)).get("lease").asText());
    assertThat(v3.values().stream().filter(l -> l.has("ttl")).count()).isEqualTo(LEASED_KEYS);

    assertThat(v2.get("/deis/platform/domain").get("value").asText()).isEqualTo("example.com");
    assertThat(v2.get("/deis/services/empty-app").get("dir").asBoolean()).isTrue();
    assertThat(v2.get("/deis/router/hosts/10.0.0.7").get("ttl").asLong()).isBetween(1L, 300L);
    assertThat(v2.get("/_coreos.com/fleet/job/deis-builder.service/object").get("value").asText())
        .isEqualTo("{\"Name\":\"deis-builder.service\"}");
    assertThat(v2).containsKey("/_lifeboat-test/marker");
    assertThat(trailer.get("hiddenRoots").toString()).contains("/_coreos.com").contains("/_lifeboat-test");

    // The file as it is uploads again (its lines and digests are checked); an altered value does not.
    assertThat(lifeboat.delete(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(204);
    LifeboatApp.Response uploaded = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-dump", archive);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(uploaded.json().get("id").asText()).isEqualTo(backupId);
    assertThat(uploaded.json().at("/metadata/keyCounts/v3").asLong()).isEqualTo(V3_KEYS);
    String altered = text.replaceFirst("\"value\":\"example.com\"", "\"value\":\"evil.example\"");
    java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
      gzip.write(altered.getBytes(StandardCharsets.UTF_8));
    }
    LifeboatApp.Response refused = lifeboat.postBytes(OPERATOR, "/api/backups?kind=etcd-dump", gzipped.toByteArray());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("detail").asText()).contains("digests differ");
  }

  @Test
  void aClusterWithoutTheV2ApiFailsAV2DumpSayingSo() throws Exception {
    try (EtcdProcess plain = EtcdProcess.startSingle(Shared.newDirectory("etcd-dump-nov2"))) {
      String runId = lifeboat.startRun(OPERATOR, "etcd-dump", Map.of("endpoints", plain.clientEndpoints(),
          "keySpaces", "v2"));
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).isEqualTo("FAILED");
      assertThat(run.get("message").asText()).contains("does not serve the v2 API").contains("--enable-v2");
      assertThat(LifeboatApp.steps(run)).containsEntry("Check the cluster", "FAILED").doesNotContainKey("Dump the keys");
      String bad = lifeboat.startRun(OPERATOR, "etcd-dump", Map.of("endpoints", plain.clientEndpoints(),
          "keySpaces", "v4"));
      assertThat(lifeboat.awaitRun(bad, RUN_TIMEOUT, "COMPLETED", "FAILED").get("message").asText())
          .contains("give v3, v2 or v2,v3");
    }
  }

  /** The dump as Debian's zcat prints it: no Lifeboat code reads it. */
  static String zcat(Path file) throws Exception {
    Process zcat = new ProcessBuilder("zcat", file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String text = new String(zcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(zcat.waitFor()).as("zcat exit status").isZero();
    return text;
  }

  @Test
  void aDumpLoadsIntoAFreshMemberWithoutApprovalWithEqualKeysValuesAndTtls() throws Exception {
    String backupId = dump(Map.of("endpoints", source.clientEndpoints(), "keySpaces", "v2,v3",
        "hiddenRoots", "/_lifeboat-test"));
    Map<String, Long> dumpTtls = new HashMap<>();
    for (String line : zcat(download(backupId)).split("\n")) {
      JsonNode node = JSON.readTree(line);
      if (node.has("ttl") && "v3".equals(node.path("api").asText())) {
        dumpTtls.put(new String(Base64.getDecoder().decode(node.get("key").asText()), StandardCharsets.UTF_8),
            node.get("ttl").asLong());
      }
    }
    try (EtcdProcess target = EtcdProcess.startSingleWithV2(Shared.newDirectory("etcd-load-fresh"))) {
      String runId = lifeboat.startRun(OPERATOR, "etcd-load", Map.of("backupId", backupId,
          "endpoints", target.clientEndpoints()));
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "WAITING_FOR_APPROVAL");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      assertThat(LifeboatApp.steps(run)).doesNotContainKey("Approve the restore");
      assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
      assertThat(run.at("/outputs/outcomeDetail").asText()).contains("without approval").contains("holds 0 keys");
      JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + backupId).json();
      assertThat(run.at("/outputs/loadedKeyCount").asLong()).isEqualTo(backup.at("/metadata/keyCount").asLong());
      assertThat(run.at("/outputs/loadedDigest").asText()).isEqualTo(backup.at("/metadata/digests/v3").asText());

      assertThat(keys(target.clientEndpoints(), "")).isEqualTo(keys(source.clientEndpoints(), ""));
      // Each lease is granted while "Restore the artifact" runs: the TTL left now is the dump's minus the
      // time since then, to the second.
      Instant now = Instant.now();
      Map<String, Long> ttls = ttls(target.clientEndpoints(), "/dump-test/");
      JsonNode apply = step(run, "Restore the artifact");
      Instant applyStarted = Instant.parse(apply.get("startedAt").asText());
      Instant applyFinished = Instant.parse(apply.get("finishedAt").asText());
      long earliest = Duration.between(applyStarted, Instant.now()).toSeconds() + 1;
      long latest = Math.max(0, Duration.between(applyFinished, now).toSeconds() - 1);
      assertThat(ttls.keySet()).isEqualTo(dumpTtls.keySet());
      ttls.forEach((key, ttl) -> assertThat(ttl).as(key).isBetween(dumpTtls.get(key) - earliest,
          dumpTtls.get(key) - latest));
      JsonNode dumpRun = step(lifeboat.get(ADMIN, "/api/runs/" + backup.get("runId").asText()).json(), "Dump the keys");
      log.info("figures: dump of {} keys took {} ms; load of {} keys (apply) took {} ms, whole load run {} ms",
          backup.at("/metadata/keyCount").asLong(), millis(dumpRun), run.at("/outputs/loadedKeyCount").asLong(),
          millis(apply), Duration.between(Instant.parse(run.get("createdAt").asText()),
              Instant.parse(run.get("finishedAt").asText())).toMillis());
      assertThat(Duration.between(applyStarted, applyFinished)).as("loading 3,000 keys with leases")
          .isLessThan(Duration.ofSeconds(10));

      String url = target.member(0).clientUrl();
      assertThat(v2Get(url, "/_coreos.com/fleet/job/deis-builder.service/object").at("/node/value").asText())
          .isEqualTo("{\"Name\":\"deis-builder.service\"}");
      assertThat(v2Get(url, "/_lifeboat-test/marker").at("/node/value").asText()).isEqualTo("hidden");
      assertThat(v2Get(url, "/deis/services/empty-app").at("/node/dir").asBoolean()).isTrue();
      assertThat(v2Get(url, "/deis/router/hosts/10.0.0.7").at("/node/ttl").asLong()).isBetween(1L, 300L);
      assertThat(v2Get(url, "/deis/platform/domain").at("/node/value").asText()).isEqualTo("example.com");
    }
  }

  @Test
  void loadingIntoAMemberWithKeysWaitsForApprovalAndARejectionChangesNothing() throws Exception {
    String backupId = dump(Map.of("endpoints", source.clientEndpoints(), "prefix", "/dump-test/"));
    try (EtcdProcess target = EtcdProcess.startSingle(Shared.newDirectory("etcd-load-busy"))) {
      fillOld(target.clientEndpoints(), "/dump-test/", 100);
      Map<String, String> before = keys(target.clientEndpoints(), "");
      String runId = lifeboat.startRun(OPERATOR, "etcd-load", Map.of("backupId", backupId,
          "endpoints", target.clientEndpoints(), "reason", "drill"));
      JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
      JsonNode evidence = task.get("evidence");
      assertThat(evidence.at("/target/keysUnderPrefix").asLong()).isEqualTo(101);
      assertThat(evidence.at("/target/keysOverwritten").asLong()).isEqualTo(100);
      assertThat(evidence.at("/target/keysKeptAsTheyAre").asLong()).isEqualTo(1);
      assertThat(evidence.at("/target/overwrittenSample/0").asText()).isEqualTo(key(0));
      assertThat(evidence.at("/replacement/keyCount").asLong()).isEqualTo(V3_KEYS);
      assertThat(evidence.at("/replacement/keysNew").asLong()).isEqualTo(V3_KEYS - 100);
      assertThat(evidence.at("/replacement/checksumVerified").asText()).contains("matches the catalogue");
      assertThat(evidence.at("/rollback/savedTo").asText()).contains("etcd-dump of the 100 keys");
      assertThat(keys(target.clientEndpoints(), "")).isEqualTo(before);

      assertThat(lifeboat.decide(APPROVER, task, "REJECT", "wrong cluster").status()).isEqualTo(200);
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "REJECTED", "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).isEqualTo("REJECTED");
      assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REJECTED");
      assertThat(keys(target.clientEndpoints(), "")).isEqualTo(before);
    }
  }

  @Test
  void aFailureMidLoadPutsTheOverwrittenKeysBack() throws Exception {
    // A source that accepts a 2 MiB value, a target that refuses requests above etcd's default 1.5 MiB:
    // the load writes its first transaction, then the big key's transaction fails.
    // v2 keys under the prefix too: one the target has (put back) and one it has not (deleted again).
    try (EtcdProcess big = EtcdProcess.startSingle(Shared.newDirectory("etcd-load-big"),
            List.of("--max-request-bytes=4194304", "--enable-v2=true"));
        EtcdProcess target = EtcdProcess.startSingleWithV2(Shared.newDirectory("etcd-load-fail"))) {
      fillV3(big.clientEndpoints(), "/fail-test/", 50, 10);
      try (Client client = Client.builder().endpoints(big.clientEndpoints()).build()) {
        client.getKVClient().put(ByteSequence.from("/fail-test/zz-big", StandardCharsets.UTF_8),
            ByteSequence.from(new byte[2 << 20])).get();
      }
      v2Put(big.member(0).clientUrl(), "/fail-test/v2/a", "value=new-a");
      v2Put(big.member(0).clientUrl(), "/fail-test/v2/b", "value=new-b");
      String backupId = dump(Map.of("endpoints", big.clientEndpoints(), "prefix", "/fail-test/",
          "keySpaces", "v2,v3"));
      fillOld(target.clientEndpoints(), "/fail-test/", 30);
      v2Put(target.member(0).clientUrl(), "/fail-test/v2/a", "value=old-a");
      Map<String, String> before = keys(target.clientEndpoints(), "");
      String runId = lifeboat.startRun(OPERATOR, "etcd-load", Map.of("backupId", backupId,
          "endpoints", target.clientEndpoints()));
      JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
      assertThat(lifeboat.decide(APPROVER, task, "APPROVE", "go").status()).isEqualTo(200);
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "COMPLETED", "REJECTED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
      assertThat(run.at("/outputs/outcome").asText()).as(run.toString()).isEqualTo("ROLLED_BACK_AND_VERIFIED");
      assertThat(LifeboatApp.steps(run)).containsEntry("Restore the artifact", "FAILED")
          .containsEntry("Roll back and verify", "COMPLETED");
      assertThat(keys(target.clientEndpoints(), "")).isEqualTo(before);
      assertThat(v2Get(target.member(0).clientUrl(), "/fail-test/v2/a").at("/node/value").asText()).isEqualTo("old-a");
      assertThat(v2Status(target.member(0).clientUrl(), "/fail-test/v2/b")).isEqualTo(404);
      JsonNode saved = lifeboat.get(ADMIN, "/api/backups?kind=etcd-dump").json();
      assertThat(saved.toString()).contains("saved by etcd-load run " + runId);
    }
  }

  @Test
  void aMigrationByDumpCopiesTheKeysAndTheApproverSeesBothVersions() throws Exception {
    try (EtcdProcess target = EtcdProcess.startSingle(Shared.newDirectory("etcd-migration-dump"))) {
      try (Client client = Client.builder().endpoints(target.clientEndpoints()).build()) {
        client.getKVClient().put(ByteSequence.from(key(0), StandardCharsets.UTF_8),
            ByteSequence.from("old", StandardCharsets.UTF_8)).get();
      }
      String runId = lifeboat.startRun(OPERATOR, "etcd-migration", Map.of("sourceEndpoints", source.clientEndpoints(),
          "method", "dump", "targetEndpoints", target.clientEndpoints(), "reason", "move to the new cluster"));
      JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
      assertThat(task.get("runbook").asText()).isEqualTo("etcd-migration");
      JsonNode evidence = task.get("evidence");
      assertThat(evidence.at("/target/etcdVersion").asText()).startsWith("3.");
      assertThat(evidence.at("/replacement/etcdVersion").asText()).startsWith("3.");
      assertThat(evidence.at("/target/keysOverwritten").asLong()).isEqualTo(1);
      assertThat(lifeboat.decide(APPROVER, task, "APPROVE", "migration window").status()).isEqualTo(200);
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      JsonNode outputs = run.get("outputs");
      assertThat(outputs.get("clustersMatch").asBoolean()).as(outputs.toString()).isTrue();
      assertThat(outputs.get("sourceKeyCount").asLong()).isEqualTo(V3_KEYS);
      assertThat(outputs.get("targetKeyCount").asLong()).isEqualTo(V3_KEYS);
      assertThat(outputs.get("targetDigest").asText()).isEqualTo(outputs.get("sourceDigest").asText());
      assertThat(outputs.get("loadedKeyCount").asLong()).isEqualTo(V3_KEYS);
      assertThat(outputs.get("sourceVersion").asText()).isEqualTo(outputs.get("targetVersion").asText());
      assertThat(outputs.get("savedBackupId").asText()).isNotBlank();
      assertThat(LifeboatApp.steps(run)).containsEntry("Dump the keys", "COMPLETED")
          .containsEntry("Compare source, dump and target", "COMPLETED").doesNotContainKey("Take the snapshot");
      assertThat(keys(target.clientEndpoints(), "")).isEqualTo(keys(source.clientEndpoints(), ""));
    }
  }

  @Test
  void aMigrationMissingWhatItsMethodNeedsIsRefusedBeforeAnything() {
    String runId = lifeboat.startRun(OPERATOR, "etcd-migration", Map.of("sourceEndpoints", source.clientEndpoints(),
        "method", "dump"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("needs targetEndpoints");
    assertThat(LifeboatApp.steps(run)).doesNotContainKey("Dump the keys");
  }

  static JsonNode step(JsonNode run, String name) {
    for (JsonNode step : run.get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no step '" + name + "' in " + run);
  }

  static long millis(JsonNode step) {
    return Duration.between(Instant.parse(step.get("startedAt").asText()),
        Instant.parse(step.get("finishedAt").asText())).toMillis();
  }

  String dump(Map<String, String> parameters) {
    String runId = lifeboat.startRun(OPERATOR, "etcd-dump", parameters);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    return run.at("/outputs/backupId").asText();
  }

  Path download(String backupId) throws Exception {
    return Files.write(Shared.newDirectory("etcd-dump").resolve("dump.jsonl.gz"),
        lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content"));
  }

  /** Old values for the first {@code count} keys under {@code prefix}, and one key the dump does not have. */
  static void fillOld(String endpoints, String prefix, int count) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      for (int i = 0; i < count; i++) {
        client.getKVClient().put(ByteSequence.from(prefix + String.format("key-%05d", i), StandardCharsets.UTF_8),
            ByteSequence.from("old-" + i, StandardCharsets.UTF_8)).get();
      }
      client.getKVClient().put(ByteSequence.from(prefix + "only-on-the-target", StandardCharsets.UTF_8),
          ByteSequence.from("kept", StandardCharsets.UTF_8)).get();
    }
  }

  /** Every v3 key under the prefix with its value (base64), read by jetcd. */
  static Map<String, String> keys(String endpoints, String prefix) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      Map<String, String> keys = new java.util.TreeMap<>();
      ByteSequence from = ByteSequence.from(prefix.isEmpty() ? "\0" : prefix, StandardCharsets.UTF_8);
      for (var kv : client.getKVClient().get(from, io.etcd.jetcd.options.GetOption.builder()
          .withRange(prefix.isEmpty() ? from : io.etcd.jetcd.options.OptionsUtil.prefixEndOf(from)).build()).get().getKvs()) {
        keys.put(kv.getKey().toString(StandardCharsets.UTF_8), Base64.getEncoder().encodeToString(kv.getValue().getBytes()));
      }
      return keys;
    }
  }

  /** The remaining TTL of every leased key under the prefix. */
  static Map<String, Long> ttls(String endpoints, String prefix) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      Map<String, Long> ttls = new HashMap<>();
      ByteSequence from = ByteSequence.from(prefix, StandardCharsets.UTF_8);
      for (var kv : client.getKVClient().get(from, io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build())
          .get().getKvs()) {
        if (kv.getLease() != 0) {
          ttls.put(kv.getKey().toString(StandardCharsets.UTF_8), client.getLeaseClient()
              .timeToLive(kv.getLease(), io.etcd.jetcd.options.LeaseOption.DEFAULT).get().getTTL());
        }
      }
      return ttls;
    }
  }

  static JsonNode v2Get(String clientUrl, String key) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(clientUrl + "/v2/keys" + key)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("v2 GET " + key + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static int v2Status(String clientUrl, String key) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys" + key)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  static String key(int i) {
    return String.format("/dump-test/key-%05d", i);
  }

  /** Values as bytes: every 10th one is not valid UTF-8. */
  static byte[] value(int i) {
    byte[] text = ("value-" + i + "-" + "y".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    if (i % 10 == 0) {
      text[0] = (byte) 0xff;
    }
    return text;
  }

  /** {@code keys} keys under {@code prefix}; the first {@code leased} on two leases of 600 s. */
  static void fillV3(String endpoints, String prefix, int keys, int leased) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      long[] leases = {client.getLeaseClient().grant(600).get().getID(), client.getLeaseClient().grant(600).get().getID()};
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        PutOption option = i < leased ? PutOption.builder().withLeaseId(leases[i < leased / 2 ? 0 : 1]).build()
            : PutOption.DEFAULT;
        String name = prefix + String.format("key-%05d", i);
        puts.add(client.getKVClient().put(ByteSequence.from(name, StandardCharsets.UTF_8), ByteSequence.from(value(i)),
            option));
        if (puts.size() == 200) {
          CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
          puts.clear();
        }
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
    }
  }

  /** Deis v1 and fleet style keys through the v2 HTTP API: values, an empty directory, a TTL, hidden roots. */
  static void fillV2(String clientUrl) {
    v2Put(clientUrl, "/deis/platform/domain", "value=example.com");
    v2Put(clientUrl, "/deis/router/bodySize", "value=100m");
    v2Put(clientUrl, "/deis/services/empty-app", "dir=true");
    v2Put(clientUrl, "/deis/router/hosts/10.0.0.7", "value=10.0.0.7:80&ttl=300");
    v2Put(clientUrl, "/_coreos.com/fleet/job/deis-builder.service/object",
        "value=" + URLEncoder.encode("{\"Name\":\"deis-builder.service\"}", StandardCharsets.UTF_8));
    v2Put(clientUrl, "/_coreos.com/fleet/machines/abc123/object", "value=machine");
    v2Put(clientUrl, "/_lifeboat-test/marker", "value=hidden");
  }

  static void v2Put(String clientUrl, String key, String form) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(clientUrl + "/v2/keys" + key))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError("v2 PUT " + key + " -> " + response.statusCode() + ": " + response.body());
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
