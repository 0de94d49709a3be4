package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.PostgresProcess;
import dev.lifeboat.testsupport.S3ProxyServer;
import dev.lifeboat.testsupport.S3cmd;
import dev.lifeboat.testsupport.Shared;
import dev.lifeboat.testsupport.SshdProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deis-store-backup and deis-store-restore end to end: S3Proxy is the store gateway of the old
 * cluster and of each new one (its keys behind the stand-in
 * deisctl), the real sshd the cluster machine, GNU tar the volume's tar, Debian's PostgreSQL
 * behind the stand-in {@code docker exec ... pg_dumpall}, s3cmd the independent client.
 */
class DeisStoreIT {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  private static final String DOMAIN = "deis.example.com";

  private static SshdProcess sshd;
  private static LifeboatApp lifeboat;
  private static S3ProxyServer gateway;
  private static PostgresProcess postgres;
  private static DeisStoreStandIns standIns;
  private static S3cmd s3cmd;
  private static Path dir;
  private static Path volume;
  private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @BeforeAll
  static void start() throws Exception {
    sshd = Shared.sshd();
    lifeboat = Shared.lifeboat();
    dir = Shared.newDirectory("deis-store");
    gateway = S3ProxyServer.start(dir);
    postgres = PostgresProcess.start();
    postgres.psql("alter role lifeboat superuser");
    postgres.psql("create table apps (id text primary key, owner text); insert into apps values ('lively-kite', 'ops')");
    standIns = DeisStoreStandIns.create(Files.createDirectories(dir.resolve("tools")), postgres.binDir(), postgres.port());
    standIns.key("platform", "domain", DOMAIN);
    standIns.key("store", "gateway/accessKey", gateway.accessKey());
    standIns.key("store", "gateway/secretKey", gateway.secretKey());
    standIns.container("deis-database");
    s3cmd = S3cmd.against(gateway, dir.resolve("s3cmd"));
    s3cmd.makeBucket("db_wal");
    s3cmd.makeBucket("registry");
    Random random = new Random(3);
    put(random, "db_wal", "basebackups_005/base_000000010000000000000002_00000040/tar_partitions/part_00000000.tar.lzo", 300_000);
    put(random, "db_wal", "basebackups_005/base_000000010000000000000002_00000040/extended_version.txt", 40);
    put(random, "db_wal", "basebackups_005/base_000000010000000000000002_00000040_backup_stop_sentinel.json", 300);
    for (int i = 2; i < 6; i++) {
      put(random, "db_wal", "wal_005/00000001000000000000000" + i + ".lzo", 20_000 + i);
    }
    put(random, "registry", "registry/images/abc/layer", 120_000);
    put(random, "registry", "registry/repositories/library/app/tag_latest", 64);
    volume = Files.createDirectories(dir.resolve("store"));
    Files.createDirectories(volume.resolve("logs"));
    Files.writeString(volume.resolve("logs/deis-controller.log"), "controller started\n");
    Files.writeString(volume.resolve("logs/deis-registry.log"), "registry started\n");
    Files.setOwner(volume.resolve("logs/deis-registry.log"),
        volume.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    newGateways.forEach(S3ProxyServer::close);
  }

  @Test
  void backsUpBucketsVolumeAndDatabaseAsOneSetAndAnUnchangedRepeatDownloadsNoBodies() throws Exception {
    JsonNode run = backup();
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    String backupId = run.at("/outputs/backupId").asText();
    assertThat(run.at("/outputs/objectCount").asInt()).isEqualTo(9);
    DeisStoreManifest manifest = manifest(backupId);
    assertThat(manifest.source()).isEqualTo(DOMAIN);

    // Every object, listed independently with s3cmd, with the sha256 of what s3cmd downloads.
    Map<String, String> listed = new TreeMap<>();
    for (String bucket : List.of("db_wal", "registry")) {
      for (String key : s3cmd.keys(bucket, "")) {
        listed.put(bucket + "/" + key, s3cmd.sha256(bucket, key));
      }
    }
    Map<String, String> recorded = new TreeMap<>();
    manifest.objects().forEach(o -> recorded.put(o.bucket() + "/" + o.key(), o.sha256()));
    assertThat(recorded).isEqualTo(listed);
    assertThat(run.at("/outputs/objectBytes").asLong()).isEqualTo(manifest.objectBytes());
    DeisStoreBodies bodies = lifeboat.context().getBean(DeisStoreBodies.class);
    for (DeisStoreManifest.StoredObject object : manifest.objects()) {
      try (InputStream in = bodies.open(object.sha256())) {
        assertThat(Sha256.of(in)).isEqualTo(object.sha256());
      }
    }

    // The volume, as GNU tar reads it back: the files with their owners.
    Path volumeTar = dir.resolve("volume-" + backupId + ".tar.gz");
    try (InputStream in = bodies.open(manifest.storeVolume().sha256())) {
      Files.copy(in, volumeTar);
    }
    String listing = exec("tar", "-tvzf", volumeTar.toString());
    assertThat(listing).contains("./logs/deis-controller.log").containsPattern("nobody/\\S+\\s+\\d+ .*deis-registry.log");

    // The dump, equal to pg_dumpall's own.
    String dump;
    try (InputStream in = bodies.open(manifest.database().sha256())) {
      dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(dump).contains("PostgreSQL database cluster dump").contains("lively-kite");

    // The catalogue entry lists the set's parts with counts and sizes.
    JsonNode entry = lifeboat.get(LifeboatApp.OPERATOR, "/api/backups/" + backupId).json();
    assertThat(entry.get("kind").asText()).isEqualTo("deis-store-backup");
    assertThat(entry.get("source").asText()).isEqualTo(DOMAIN);
    assertThat(entry.at("/metadata/parts").toString()).contains("buckets/db_wal/: 7 objects")
        .contains("buckets/registry/: 2 objects").contains("store-volume.tar.gz: ").contains("pg_dumpall.sql: ");

    // The download: a tar assembled on the fly, which GNU tar reads.
    Path download = dir.resolve(backupId + ".tar");
    Files.write(download, downloadWithLength(lifeboat, "/api/backups/" + backupId + "/content"));
    Path extracted = Files.createDirectories(dir.resolve("extracted-" + backupId));
    exec("tar", "-xf", download.toString(), "-C", extracted.toString());
    for (DeisStoreManifest.StoredObject object : manifest.objects()) {
      try (InputStream in = Files.newInputStream(extracted.resolve("buckets/" + object.bucket() + "/" + object.key()))) {
        assertThat(Sha256.of(in)).as(object.key()).isEqualTo(object.sha256());
      }
    }
    assertThat(Files.readString(extracted.resolve("pg_dumpall.sql"))).isEqualTo(dump);
    assertThat(exec("tar", "-tzf", extracted.resolve("store-volume.tar.gz").toString())).contains("./logs/deis-registry.log");
    assertThat(json.readValue(extracted.resolve("manifest.json").toFile(), DeisStoreManifest.class)).isEqualTo(manifest);

    JsonNode again = backup();
    assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("COMPLETED");
    assertThat(step(again, "Copy the buckets").get("message").asText())
        .contains("9 objects").contains(": 0 downloaded (0 bytes), 9 held already");
    DeisStoreManifest second = manifest(again.at("/outputs/backupId").asText());
    assertThat(second.objects()).isEqualTo(manifest.objects());
  }

  @Test
  void aFileChangedWhileTarReadsItIsAWarningKeptInTheManifest() throws Exception {
    Path busy = volume.resolve("logs/deis-router.log");
    byte[] noise = new byte[1 << 20];
    new Random(7).nextBytes(noise);
    try (OutputStream out = Files.newOutputStream(busy)) {
      for (int i = 0; i < 24; i++) {
        out.write(noise);
      }
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = Thread.ofPlatform().start(() -> {
      try (OutputStream out = Files.newOutputStream(busy, java.nio.file.StandardOpenOption.APPEND)) {
        while (writing.get()) {
          out.write("GET /v2/ 200\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode run;
    try {
      run = backup();
    } finally {
      writing.set(false);
      writer.join();
      Files.delete(busy);
    }
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    DeisStoreManifest manifest = manifest(run.at("/outputs/backupId").asText());
    assertThat(manifest.storeVolume().warnings()).anyMatch(w -> w.contains("file changed as we read it"));
    assertThat(step(run, "Copy the store volume").get("message").asText()).contains("file changed as we read it");
  }

  @Test
  void aFailingPgDumpallFailsTheRunAndCataloguesNothing() {
    standIns.failDump(true);
    JsonNode run;
    try {
      run = backup();
    } finally {
      standIns.failDump(false);
    }
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(step(run, "Dump the database").get("message").asText()).contains("pg_dumpall").contains("exit 1");
    assertThat(run.at("/outputs/backupId").isMissingNode()).isTrue();
  }

  @Test
  void restoresOntoANewClusterInTheDocumentsOrderAfterApproval() throws Exception {
    String backupId = catalogued();
    DeisStoreManifest manifest = manifest(backupId);
    NewCluster cluster = newCluster("restored");
    cluster.standIns.apps("app lively-kite {\"web\": 2}\napp quiet-owl {\"web\": 1, \"worker\": 1}\n");
    String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-restore", cluster.parameters(backupId));
    JsonNode task = awaitTask(runId);
    JsonNode evidence = task.get("evidence");
    assertThat(evidence.toString()).contains("bucket db_wal").contains("7 objects").contains("source cluster")
        .contains(DOMAIN).contains("--same-owner").contains("start platform");
    // Every command and path parameter is shown to the approver, and used verbatim in the planned commands.
    for (String name : List.of("deisctlCommand", "dockerCommand", "storeVolumePath")) {
      assertThat(evidence.get("parameters").toString()).contains("\"name\":\"" + name + "\"");
    }
    assertThat(evidence.get("commands").toString()).contains(cluster.standIns.deisctl() + " start platform")
        .contains(cluster.standIns.docker() + " exec deis-controller").contains("cd " + cluster.volume);
    // Before the approval: installed, store components and router@1 running, body size raised; nothing uploaded.
    assertThat(cluster.standIns.etcdValue("router", "bodySize")).isEqualTo("100m");
    assertThat(cluster.s3cmd.run("ls")).doesNotContain("s3://db_wal");
    assertThat(decide(LifeboatApp.APPROVER, task, "APPROVE", "new cluster").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(run.at("/outputs/objectCount").asInt()).isEqualTo(9);
    assertThat(run.at("/outputs/fileCount").asInt()).isEqualTo(2);
    assertThat(run.at("/outputs/appsToRescale").asText()).contains("lively-kite {\"web\": 2}").contains("quiet-owl");

    // s3cmd sees the same keys and md5s on both gateways.
    for (String bucket : List.of("db_wal", "registry")) {
      assertThat(md5s(cluster.s3cmd, bucket)).isEqualTo(md5s(s3cmd, bucket)).isNotEmpty();
    }
    // The volume's files with their owners; the controller re-saved keys, apps and domains.
    Path registryLog = cluster.volume.resolve("logs/deis-registry.log");
    assertThat(Files.readString(registryLog)).isEqualTo("registry started\n");
    assertThat(Files.getOwner(registryLog).getName()).isEqualTo("nobody");
    assertThat(Files.readString(cluster.volume.resolve("logs/deis-controller.log"))).isEqualTo("controller started\n");
    assertThat(cluster.standIns.controllerScript()).contains("export ETCD=127.0.0.1:4001")
        .contains("[k.save() for k in Key.objects.all()]").contains("[a.save() for a in App.objects.all()]")
        .contains("[d.save() for d in Domain.objects.all()]").doesNotContain("a.scale(");
    // The dump the set holds is pg_dumpall's, byte for byte.
    Path download = dir.resolve("restored-" + backupId + ".tar");
    Files.write(download, lifeboat.download(LifeboatApp.OPERATOR, "/api/backups/" + backupId + "/content"));
    Path extracted = Files.createDirectories(dir.resolve("dump-" + backupId));
    exec("tar", "-xf", download.toString(), "-C", extracted.toString(), "pg_dumpall.sql");
    String direct = exec("sh", "-c", "PGPASSWORD=lifeboat " + postgres.binDir().resolve("pg_dumpall")
        + " -h 127.0.0.1 -p " + postgres.port() + " -U lifeboat -l lifeboat");
    // pg_dumpall puts a random key on its restrict and unrestrict lines (minor releases from August 2025 on); the rest is equal.
    assertThat(withoutRestrictKeys(Files.readString(extracted.resolve("pg_dumpall.sql"))))
        .isEqualTo(withoutRestrictKeys(direct)).contains("lively-kite");
    assertThat(manifest.database().size()).isEqualTo(Files.size(extracted.resolve("pg_dumpall.sql")));
  }

  @Test
  void aStoreComponentThatStartsButNeverRunsStopsTheRunBeforeApproval() throws Exception {
    String backupId = catalogued();
    NewCluster cluster = newCluster("broken");
    cluster.standIns.broken("store-metadata");
    String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-restore", cluster.parameters(backupId));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
    assertThat(run.at("/outputs/outcomeDetail").asText()).contains("deisctl start store-metadata")
        .contains("exited 0").contains("failed/failed").contains("failed while starting");
    assertThat(run.toString()).doesNotContain("Approve the restore\",\"status\":\"COMPLETED");
    assertThat(cluster.s3cmd.run("ls")).doesNotContain("s3://");
  }

  @Test
  void aRejectionChangesNothing() throws Exception {
    String backupId = catalogued();
    NewCluster cluster = newCluster("rejected");
    String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-restore", cluster.parameters(backupId));
    JsonNode task = awaitTask(runId);
    assertThat(decide(LifeboatApp.APPROVER, task, "REJECT", "wrong cluster").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("REJECTED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REJECTED");
    assertThat(cluster.s3cmd.run("ls")).doesNotContain("s3://");
    assertThat(cluster.volume).doesNotExist();
    assertThat(cluster.standIns.controllerScript()).isNull();
  }

  @Test
  void aCorruptedStoredObjectIsFoundBeforeApproval() throws Exception {
    String backupId = catalogued();
    DeisStoreManifest manifest = manifest(backupId);
    DeisStoreBodies bodies = lifeboat.context().getBean(DeisStoreBodies.class);
    DeisStoreManifest.StoredObject victim = manifest.objects().stream()
        .filter(o -> o.key().startsWith("wal_005/")).findFirst().orElseThrow();
    Path body = Path.of(bodies.describe(victim.sha256()));
    byte[] original = Files.readAllBytes(body);
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(body, damaged);
    NewCluster cluster = newCluster("corrupt");
    try {
      String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-restore", cluster.parameters(backupId));
      JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
      assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
      assertThat(run.at("/outputs/outcomeDetail").asText()).contains("object db_wal/" + victim.key())
          .contains("corrupt");
      assertThat(cluster.standIns.installed()).as("deisctl install platform never ran").isFalse();
      assertThat(cluster.s3cmd.run("ls")).doesNotContain("s3://");
    } finally {
      Files.write(body, original);
    }
  }

  /**
   * The race the body sweep must not lose: a run in progress has referenced again (without
   * downloading) the bodies of the newest set, and that set is deleted before the run catalogues
   * its own. Those bodies survive even a sweep with no grace; a body only the deleted set held
   * is removed; the run's set is whole.
   */
  @Test
  void aBodyReusedByARunInProgressSurvivesTheDeletionOfTheSetThatHeldIt() throws Exception {
    String reusedKey = "registry/reused-" + java.util.UUID.randomUUID();
    String droppedKey = "registry/dropped-" + java.util.UUID.randomUUID();
    Random random = new Random(17);
    put(random, "registry", reusedKey, 50_000);
    put(random, "registry", droppedKey, 40_000);
    DeisStoreBodies bodies = lifeboat.context().getBean(DeisStoreBodies.class);
    String runId;
    String firstId;
    String reused;
    String dropped;
    try {
      JsonNode first = backup();
      assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("COMPLETED");
      firstId = first.at("/outputs/backupId").asText();
      DeisStoreManifest firstSet = manifest(firstId);
      reused = sha256Of(firstSet, "registry/" + reusedKey);
      dropped = sha256Of(firstSet, "registry/" + droppedKey);
      s3cmd.run("del", "s3://registry/" + droppedKey);

      standIns.holdDump(true);
      try {
        runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-backup", clusterParameters(gateway, standIns, volume));
        JsonNode inProgress = awaitStep(runId, "Dump the database");
        assertThat(step(inProgress, "Copy the buckets").get("message").asText()).contains(": 0 downloaded");

        // Deleted meanwhile (its own sweep keeps everything this young), then a sweep without any grace.
        assertThat(lifeboat.delete(LifeboatApp.OPERATOR, "/api/backups/" + firstId).status()).isBetween(200, 299);
        DeisStoreBodySweep.Result result = sweepWithoutGrace();

        assertThat(bodies.stored(reused)).as("reused by the run in progress").isTrue();
        assertThat(bodies.stored(dropped)).as("only the deleted set held it").isFalse();
        assertThat(result.removed()).isPositive();
        assertThat(result.bytes()).isGreaterThanOrEqualTo(40_000);
      } finally {
        standIns.holdDump(false);
      }
    } finally {
      for (String key : List.of(reusedKey, droppedKey)) {
        try {
          s3cmd.run("del", "s3://registry/" + key);
        } catch (RuntimeException | AssertionError deletedAlready) {
          // the other tests count the bucket's objects: neither may stay
        }
      }
    }
    JsonNode second = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("COMPLETED");
    String secondId = second.at("/outputs/backupId").asText();
    assertThat(sha256Of(manifest(secondId), "registry/" + reusedKey)).isEqualTo(reused);
    // The set is whole: its download checks every body on the way.
    Path download = dir.resolve("after-sweep-" + secondId + ".tar");
    Files.write(download, downloadWithLength(lifeboat, "/api/backups/" + secondId + "/content"));
    assertThat(exec("tar", "-tf", download.toString())).contains("buckets/registry/" + reusedKey);
    // The deletion's sweep is in the audit trail, with what it removed and kept.
    JsonNode audit = lifeboat.get(LifeboatApp.AUDITOR, "/api/audit?action=backup.parts-removed&size=500").json();
    assertThat(audit.toString()).contains(firstId).contains("\"kept\"").contains("\"bytes\"");
    // Deleted in turn: with no run in progress any more, its last reference gone, the reused body goes too.
    assertThat(lifeboat.delete(LifeboatApp.OPERATOR, "/api/backups/" + secondId).status()).isBetween(200, 299);
    sweepWithoutGrace();
    assertThat(bodies.stored(reused)).isFalse();
  }

  /**
   * With age recipients configured (a second Lifeboat, same gateway, cluster machine and tools):
   * every body is stored encrypted, holds no plaintext, is what Debian's age decrypts, and the set
   * restores onto a new cluster.
   */
  @Test
  void anEncryptedSetStoresEveryBodyEncryptedAndRestores() throws Exception {
    Path home = Shared.newDirectory("deis-encrypted");
    Path identity = home.resolve("backup.key");
    Path recipients = Files.writeString(home.resolve("backup.recipients"), dev.lifeboat.testsupport.AgeTool.keygen(identity) + "\n");
    Map<String, String> properties = new java.util.HashMap<>(
        sshd.lifeboatProperties(Shared.SSH_REF, home.resolve("known_hosts"), sshd.knownHostsLine()));
    properties.put("lifeboat.encryption.age-recipients-file", recipients.toString());
    properties.put("lifeboat.encryption.age-identity-file", identity.toString());
    LifeboatApp encrypted = LifeboatApp.start(home.resolve("lifeboat"), properties);
    try {
      String runId = encrypted.startRun(LifeboatApp.OPERATOR, "deis-store-backup",
          clusterParameters(gateway, standIns, volume));
      JsonNode run = encrypted.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      String backupId = run.at("/outputs/backupId").asText();
      DeisStoreManifest manifest;
      try (InputStream in = encrypted.context().getBean(BackupService.class).plaintextContent(backupId, "test")) {
        manifest = json.readValue(DeisStoreManifest.bytesOf(in, "the downloaded set"), DeisStoreManifest.class);
      }
      DeisStoreBodies bodies = encrypted.context().getBean(DeisStoreBodies.class);
      for (DeisStoreManifest.StoredObject object : manifest.objects()) {
        Path stored = Path.of(bodies.describe(object.sha256()));
        assertThat(stored.getFileName().toString()).endsWith(".age");
        assertThat(stored.resolveSibling(stored.getFileName().toString().replace(".age", ""))).doesNotExist();
        Path plain = dir.resolve("plain-" + object.sha256());
        s3cmd.get(object.bucket(), object.key(), plain);
        byte[] slice = java.util.Arrays.copyOfRange(Files.readAllBytes(plain), 0, (int) Math.min(64, object.size()));
        assertThat(Files.readString(stored, StandardCharsets.ISO_8859_1))
            .doesNotContain(new String(slice, StandardCharsets.ISO_8859_1));
      }
      Path dumpBody = Path.of(bodies.describe(manifest.database().sha256()));
      assertThat(Files.readString(dumpBody, StandardCharsets.ISO_8859_1)).startsWith("age-encryption.org/v1")
          .doesNotContain("PostgreSQL database cluster dump").doesNotContain("lively-kite");
      Path decrypted = home.resolve("pg_dumpall.sql");
      var age = dev.lifeboat.testsupport.AgeTool.age("-d", "-i", identity.toString(), "-o", decrypted.toString(),
          dumpBody.toString());
      assertThat(age.exitCode()).as(age.stderr()).isZero();
      assertThat(Files.readString(decrypted)).contains("PostgreSQL database cluster dump").contains("lively-kite");

      NewCluster cluster = newCluster("encrypted");
      String restoreId = encrypted.startRun(LifeboatApp.OPERATOR, "deis-store-restore", cluster.parameters(backupId));
      JsonNode task = encrypted.awaitTask(restoreId, RUN_TIMEOUT);
      assertThat(encrypted.decide(LifeboatApp.APPROVER, task, "APPROVE", "encrypted set").status()).isEqualTo(200);
      JsonNode restore = encrypted.awaitRun(restoreId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
      assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
      assertThat(restore.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
      for (String bucket : List.of("db_wal", "registry")) {
        assertThat(md5s(cluster.s3cmd, bucket)).isEqualTo(md5s(s3cmd, bucket)).isNotEmpty();
      }
    } finally {
      encrypted.close();
    }
  }

  /**
   * The body ledger's queries and row locks on PostgreSQL, as Lifeboat instances sharing one
   * database use them: the same checks as {@link BodyLedgerTest} (H2), in a database of its own on
   * this test's server.
   */
  @Test
  void theBodyLedgerOnPostgresql() throws Exception {
    postgres.psql("create database body_ledger owner lifeboat");
    javax.sql.DataSource database = new org.springframework.jdbc.datasource.DriverManagerDataSource(
        postgres.jdbcUrl().replaceAll("/[^/]+$", "/body_ledger"), postgres.username(), postgres.password());
    BodyLedgerSuite suite = new BodyLedgerSuite() {
      @Override
      javax.sql.DataSource database() {
        return database;
      }
    };
    suite.migrate();
    suite.referencesOfCataloguedSetsBackupsInProgressAndSetsWithoutReferences();
    suite.aClaimYoungerThanTheCutoffOrAReferenceKeepsABodyAnOldUnreferencedOneGoes();
    suite.aClaimDuringARemovalWaitsForItAndIsRecordedAfresh();
  }

  // --- helpers

  private static String catalogued;

  /** One backup set of the old cluster, taken once for the restore tests. */
  private static synchronized String catalogued() {
    if (catalogued == null) {
      JsonNode run = backup();
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
      catalogued = run.at("/outputs/backupId").asText();
    }
    return catalogued;
  }

  /** A new cluster: its own gateway (S3Proxy), deisctl state, and a store volume path that does not exist yet. */
  private record NewCluster(S3ProxyServer gateway, DeisStoreStandIns standIns, S3cmd s3cmd, Path volume) {

    Map<String, Object> parameters(String backupId) {
      Map<String, Object> parameters = clusterParameters(gateway, standIns, volume);
      parameters.put("backupId", backupId);
      parameters.put("reason", "upgrade to a new cluster");
      return parameters;
    }
  }

  private static final List<S3ProxyServer> newGateways = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static NewCluster newCluster(String name) throws IOException {
    Path home = Files.createDirectories(dir.resolve("cluster-" + name));
    S3ProxyServer newGateway = S3ProxyServer.start(home);
    newGateways.add(newGateway);
    DeisStoreStandIns tools = DeisStoreStandIns.create(Files.createDirectories(home.resolve("tools")),
        postgres.binDir(), postgres.port());
    tools.key("platform", "domain", name + ".example.com");
    tools.gatewayKeysOnBoot(newGateway.accessKey(), newGateway.secretKey());
    return new NewCluster(newGateway, tools, S3cmd.against(newGateway, home.resolve("s3cmd")), home.resolve("store"));
  }

  private static JsonNode awaitTask(String runId) {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode task : lifeboat.get(LifeboatApp.APPROVER, "/api/tasks").json()) {
        if (task.get("runId").asText().equals(runId)) {
          return task;
        }
      }
      JsonNode run = lifeboat.get(LifeboatApp.ADMIN, "/api/runs/" + runId).json();
      if (!List.of("RUNNING", "WAITING_FOR_APPROVAL").contains(run.get("status").asText())) {
        throw new AssertionError("run ended before its approval: " + run);
      }
      LifeboatApp.sleep(200);
    }
    throw new AssertionError("no approval task for run " + runId);
  }

  private static LifeboatApp.Response decide(String user, JsonNode task, String decision, String comment) {
    return lifeboat.post(user, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", decision, "comment", comment));
  }

  private static String withoutRestrictKeys(String dump) {
    return dump.replaceAll("(?m)^\\\\(un)?restrict \\S+$", "\\\\$1restrict <key>");
  }

  /** key → md5 as s3cmd lists them ({@code ls --recursive --list-md5}). */
  private static Map<String, String> md5s(S3cmd client, String bucket) {
    Map<String, String> md5s = new TreeMap<>();
    String url = "s3://" + bucket + "/";
    for (String line : client.run("ls", "--recursive", "--list-md5", url).lines().toList()) {
      int at = line.indexOf(url);
      if (at > 0) {
        String[] fields = line.substring(0, at).strip().split("\\s+");
        md5s.put(line.substring(at + url.length()), fields[fields.length - 1]);
      }
    }
    return md5s;
  }

  private static JsonNode backup() {
    String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-backup",
        clusterParameters(gateway, standIns, volume));
    return lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
  }

  /** The parameters both runbooks take: the cluster machine (the shared sshd), its gateway and tools. */
  private static Map<String, Object> clusterParameters(S3ProxyServer storeGateway, DeisStoreStandIns tools, Path storeVolume) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("host", sshd.host());
    parameters.put("credentialRef", Shared.SSH_REF);
    parameters.put("gatewayEndpoint", storeGateway.endpoint());
    parameters.put("deisctlCommand", tools.deisctl().toString());
    parameters.put("dockerCommand", tools.docker().toString());
    parameters.put("storeVolumePath", storeVolume.toString());
    return parameters;
  }

  private static DeisStoreManifest manifest(String backupId) throws IOException {
    BackupService backups = lifeboat.context().getBean(BackupService.class);
    try (InputStream in = backups.content(backupId, "test"); ArchiveReader reader = new ArchiveReader(in)) {
      for (ArchiveReader.Entry entry = reader.next(); entry != null; entry = reader.next()) {
        if (entry.name().equals("manifest.json")) {
          return json.readValue(entry.content().readAllBytes(), DeisStoreManifest.class);
        }
      }
    }
    throw new AssertionError("no manifest.json in " + backupId);
  }

  private static String sha256Of(DeisStoreManifest manifest, String bucketAndKey) {
    return manifest.objects().stream().filter(o -> (o.bucket() + "/" + o.key()).equals(bucketAndKey))
        .map(DeisStoreManifest.StoredObject::sha256).findFirst().orElseThrow(() -> new AssertionError(bucketAndKey));
  }

  /** A sweep of the shared Lifeboat's bodies as its deletions run it, but with no grace at all. */
  private static DeisStoreBodySweep.Result sweepWithoutGrace() throws IOException {
    var context = lifeboat.context();
    DeisStoreBackupService service = context.getBean(DeisStoreBackupService.class);
    dev.lifeboat.catalog.BackupCatalog catalog = context.getBean(dev.lifeboat.catalog.BackupCatalog.class);
    return new DeisStoreBodySweep(context.getBean(dev.lifeboat.storage.BackupRepository.class),
        context.getBean(BodyLedger.class), id -> DeisStoreBodySweep.bodies(service.manifest(catalog.find(id).orElseThrow())),
        false, Duration.ZERO, java.time.Clock.systemUTC(), event -> {}).sweep();
  }

  /** The run once its step {@code name} is running. */
  private static JsonNode awaitStep(String runId, String name) {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode run = lifeboat.get(LifeboatApp.ADMIN, "/api/runs/" + runId).json();
      for (JsonNode step : run.get("steps")) {
        if (step.get("name").asText().equals(name) && step.get("status").asText().equals("RUNNING")) {
          return run;
        }
      }
      if (!run.get("status").asText().equals("RUNNING")) {
        throw new AssertionError("run ended before its step " + name + " ran: " + run);
      }
      LifeboatApp.sleep(200);
    }
    throw new AssertionError("step " + name + " of run " + runId + " never ran");
  }

  /** GET as the operator; the response's Content-Length must be what arrived. */
  private static byte[] downloadWithLength(LifeboatApp app, String path) throws Exception {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.baseUrl() + path))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
            (LifeboatApp.OPERATOR + ":" + LifeboatApp.password(LifeboatApp.OPERATOR)).getBytes(StandardCharsets.UTF_8)))
        .GET().build();
    var response = java.net.http.HttpClient.newHttpClient().send(request,
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("Content-Length")).as("Content-Length")
        .hasValue(response.body().length);
    return response.body();
  }

  private static JsonNode step(JsonNode run, String name) {
    for (JsonNode step : run.get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no step '" + name + "' in " + run);
  }

  private static void put(Random random, String bucket, String key, int size) throws IOException {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    Path file = Files.createTempFile(dir, "object-", ".bin");
    Files.write(file, bytes);
    s3cmd.put(file, bucket, key);
    Files.delete(file);
  }

  private static String exec(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
