package dev.lifeboat.deis;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import dev.lifeboat.testsupport.SshdProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Data-container export and import (procedure 004) through a real sshd, against the stand-in
 * docker (src/test/resources/deis/docker: export tars a directory, import records an image, state
 * in a directory beside it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataContainersIT {

  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  static final List<String> CONTAINERS = List.of("deis-builder-data", "deis-logger-data", "deis-registry-data");

  SshdProcess sshd;
  LifeboatApp lifeboat;

  @BeforeAll
  void start() {
    sshd = Shared.sshd();
    lifeboat = Shared.lifeboat();
  }

  /** A host directory with the stand-in docker and three data containers holding a few files each. */
  Path dockerHost(String name) throws Exception {
    Path dir = Shared.newDirectory(name);
    Path docker = dir.resolve("docker");
    try (InputStream script = DataContainersIT.class.getResourceAsStream("/deis/docker")) {
      Files.copy(script, docker);
    }
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String container : CONTAINERS) {
      Path root = Files.createDirectories(dir.resolve("state/containers/" + container + "/var/lib/data"));
      Files.writeString(root.resolve("README"), "data of " + container + "\n");
      Files.write(root.resolve("blob.bin"), new byte[4096 * (1 + CONTAINERS.indexOf(container))]);
    }
    Files.createDirectories(dir.resolve("state/tags"));
    return dir;
  }

  String backup(Path host) {
    String runId = lifeboat.startRun(OPERATOR, "deis-data-containers-backup", Map.of("host", sshd.host(),
        "credentialRef", Shared.SSH_REF, "dockerCommand", host.resolve("docker").toString(), "notes", "drill"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    return run.at("/outputs/backupId").asText();
  }

  Map<String, Object> restoreParameters(Path host, String backupId) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("backupId", backupId);
    parameters.put("host", sshd.host());
    parameters.put("credentialRef", Shared.SSH_REF);
    parameters.put("dockerCommand", host.resolve("docker").toString());
    return parameters;
  }

  @Test
  void threeContainersAreExportedAndImportedAfterApproval() throws Exception {
    Path host = dockerHost("docker-host");
    String backupId = backup(host);
    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + backupId).json();
    assertThat(backup.get("kind").asText()).isEqualTo("deis-data-containers");
    Map<String, String> recorded = new LinkedHashMap<>();
    backup.at("/metadata/containers").forEach(p -> recorded.put(p.get("entry").asText(), p.get("sha256").asText()));
    assertThat(recorded).containsOnlyKeys("deis-builder-data.tar", "deis-logger-data.tar", "deis-registry-data.tar");

    Map<String, String> inArchive = new LinkedHashMap<>();
    byte[] archive = lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content");
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        byte[] bytes = tar.readAllBytes();
        inArchive.put(entry.getName(), sha256(bytes));
        if (entry.getName().endsWith(".tar")) {
          try (TarArchiveInputStream part = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            boolean readme = false;
            for (TarArchiveEntry file; (file = part.getNextEntry()) != null; ) {
              readme |= file.getName().endsWith("var/lib/data/README");
            }
            assertThat(readme).as(entry.getName() + " is the container's filesystem").isTrue();
          }
        }
      }
    }
    assertThat(inArchive).containsKey("metadata.json");
    recorded.forEach((entry, sha) -> assertThat(inArchive.get(entry)).as(entry).isEqualTo(sha));

    // The builder's image exists already: the import replaces it, so a second person approves.
    Files.writeString(host.resolve("state/tags/deis-builder-data:latest"), "0".repeat(64) + "\n");
    String runId = lifeboat.startRun(OPERATOR, "deis-data-containers-restore", restoreParameters(host, backupId));
    JsonNode task = lifeboat.awaitTask(runId, RUN_TIMEOUT);
    JsonNode evidence = task.get("evidence");
    assertThat(evidence.at("/target/images/deis-builder-data:latest").asText())
        .contains("replaced, kept as deis-builder-data:lifeboat-");
    assertThat(evidence.at("/target/images/deis-logger-data:latest").asText()).contains("will be created");
    assertThat(evidence.get("commands").findValuesAsText("command").toString())
        .contains(host.resolve("docker") + " import - deis-registry-data");
    assertThat(evidence.at("/replacement/checksumVerified").asText()).contains("every part");
    assertThat(Files.list(host.resolve("state/images")).count()).isZero();

    assertThat(lifeboat.decide(APPROVER, task, "APPROVE", "restore drill").status()).isEqualTo(200);
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("RESTORED_AND_VERIFIED");
    assertThat(run.at("/outputs/restoredContainers").asInt()).isEqualTo(3);
    for (String container : CONTAINERS) {
      String id = Files.readString(host.resolve("state/tags/" + container + ":latest")).strip();
      byte[] image = Files.readAllBytes(host.resolve("state/images/" + id + ".tar"));
      assertThat(sha256(image)).as(container + " imported from its part").isEqualTo(recorded.get(container + ".tar"));
    }
    try (var tags = Files.list(host.resolve("state/tags"))) {
      Path kept = tags.filter(t -> t.getFileName().toString().startsWith("deis-builder-data:lifeboat-")).findFirst()
          .orElseThrow();
      assertThat(Files.readString(kept).strip()).isEqualTo("0".repeat(64));
    }

    // The archive uploads again: its parts are checked against metadata.json.
    assertThat(lifeboat.delete(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(204);
    LifeboatApp.Response uploaded = lifeboat.postBytes(OPERATOR, "/api/backups?kind=deis-data-containers", archive);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(uploaded.json().at("/metadata/containers").size()).isEqualTo(3);
  }

  @Test
  void aCorruptedPartIsRefusedBeforeApproval() throws Exception {
    Path host = dockerHost("docker-host-corrupt");
    String backupId = backup(host);
    Path stored = Path.of(lifeboat.context().getEnvironment().getProperty("lifeboat.data-dir"), "backups",
        backupId + ".tar.gz");
    try (RandomAccessFile file = new RandomAccessFile(stored.toFile(), "rw")) {
      file.seek(file.length() / 3);
      int b = file.read();
      file.seek(file.length() / 3);
      file.write(b ^ 0xff);
    }
    String runId = lifeboat.startRun(OPERATOR, "deis-data-containers-restore", restoreParameters(host, backupId));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "WAITING_FOR_APPROVAL", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains(backupId).contains("nothing on the host was changed");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REFUSED");
    assertThat(LifeboatApp.steps(run)).doesNotContainKey("Approve the restore");
    assertThat(Files.list(host.resolve("state/images")).count()).isZero();
    assertThat(Files.readString(host.resolve("state/calls.log"))).doesNotContain("import");
  }

  @Test
  void aMissingContainerFailsTheBackupWithDockersWords() throws Exception {
    Path host = dockerHost("docker-host-missing");
    String runId = lifeboat.startRun(OPERATOR, "deis-data-containers-backup", Map.of("host", sshd.host(),
        "credentialRef", Shared.SSH_REF, "dockerCommand", host.resolve("docker").toString(),
        "containers", "deis-builder-data,deis-nothing-data"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.get("message").asText()).contains("No such container: deis-nothing-data");
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
