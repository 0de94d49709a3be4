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
 * deis-store-backup end to end: S3Proxy is the store gateway (its keys behind the stand-in
 * deisctl), the real sshd the cluster machine, GNU tar the volume's tar, Debian's PostgreSQL
 * behind the stand-in {@code docker exec ... pg_dumpall}, s3cmd the independent client.
 */
class DeisStoreBackupIT {

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

    // The download: a tar assembled on the fly, which GNU tar reads.
    Path download = dir.resolve(backupId + ".tar");
    Files.write(download, lifeboat.download(LifeboatApp.OPERATOR, "/api/backups/" + backupId + "/content"));
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

  // --- helpers

  private static JsonNode backup() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("host", sshd.host());
    parameters.put("credentialRef", Shared.SSH_REF);
    parameters.put("gatewayEndpoint", gateway.endpoint());
    parameters.put("deisctlCommand", standIns.deisctl().toString());
    parameters.put("dockerCommand", standIns.docker().toString());
    parameters.put("storeVolumePath", volume.toString());
    String runId = lifeboat.startRun(LifeboatApp.OPERATOR, "deis-store-backup", parameters);
    return lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
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
