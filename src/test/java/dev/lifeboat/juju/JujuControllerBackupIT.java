package dev.lifeboat.juju;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * juju-controller-backup against the stand-in juju behind the shared real sshd, for both CLI
 * generations; a corrupted download; uploads of a Juju archive and of something else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JujuControllerBackupIT {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  LifeboatApp lifeboat;
  String host;

  @BeforeAll
  void start() {
    lifeboat = Shared.lifeboat();
    host = Shared.sshd().host();
  }

  @Test
  void backsUpAJuju1StateServerWithJujusIdChecksumAndMetadata() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju1"), JujuStandIn.JUJU_1, 3);
    JsonNode run = backup(juju, Map.of("notes", "before the upgrade", "controller", "jujutest"), "COMPLETED");

    JsonNode printed = juju.state().get("backups").elements().next();
    String jujuId = printed.get("id").asText();
    assertThat(run.at("/outputs/backupId").asText()).isEqualTo(jujuId);
    assertThat(run.at("/outputs/checksum").asText()).isEqualTo(printed.get("checksum").asText());
    assertThat(run.at("/outputs/jujuVersion").asText()).isEqualTo("1.25.6");
    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + jujuId).json();
    assertThat(backup.get("kind").asText()).isEqualTo("juju-controller-backup");
    assertThat(backup.get("source").asText()).isEqualTo(juju.modelUuid());
    assertThat(backup.at("/checksums/sha1-base64").asText()).isEqualTo(printed.get("checksum").asText());
    assertThat(backup.at("/metadata/environmentUuid").asText()).isEqualTo(juju.modelUuid());
    assertThat(backup.at("/metadata/checksumFormat").asText()).isEqualTo("SHA-1, base64 encoded");
    assertThat(backup.at("/metadata/jujuVersion").asText()).isEqualTo("1.25.6");
    assertThat(backup.at("/metadata/notes").asText()).isEqualTo("before the upgrade");
    assertThat(backup.at("/metadata/archive/Environment").asText()).isEqualTo(juju.modelUuid());
    assertThat(backup.get("notes").asText()).isEqualTo("before the upgrade");

    List<String> create = createCall(juju);
    assertThat(create.subList(0, 3)).containsExactly("backups", "create", "--filename");
    assertThat(create).containsSequence("-e", "jujutest").endsWith("before the upgrade");
    assertThat(Path.of(create.get(3)).getParent()).doesNotExist();
    byte[] stored = lifeboat.download(ADMIN, "/api/backups/" + jujuId + "/content");
    assertThat(stored).isEqualTo(Files.readAllBytes(Path.of(printed.get("path").asText())));
  }

  @Test
  void backsUpAJuju3ControllerBuildingTheIdJujuNoLongerPrints() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju3"), JujuStandIn.JUJU_3, 3);
    JsonNode run = backup(juju, Map.of("controller", "lifeboat-test"), "COMPLETED");

    JsonNode printed = juju.state().get("backups").elements().next();
    String id = printed.get("id").asText(); // YYYYMMDD-HHMMSS.<model uuid>, as 1.x would have named it
    assertThat(run.at("/outputs/backupId").asText()).isEqualTo(id);
    assertThat(run.at("/outputs/checksum").asText()).isEqualTo(printed.get("checksum").asText());
    assertThat(run.at("/outputs/jujuVersion").asText()).isEqualTo("3.1.6");
    JsonNode step = step(run, "Task_CreateBackup");
    assertThat(step.get("message").asText()).contains("juju said: Downloaded to ");
    String output = lifeboat.get(ADMIN, "/api/runs/" + run.get("id").asText() + "/output?step=Task_CreateBackup").body();
    assertThat(output).contains("checksum:              " + printed.get("checksum").asText()).contains("Downloaded to ");
    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + id).json();
    assertThat(backup.at("/metadata/modelUuid").asText()).isEqualTo(juju.modelUuid());
    assertThat(backup.at("/metadata/controllerUuid").asText()).isEqualTo(juju.state().get("controllerUuid").asText());
    assertThat(backup.at("/metadata/base").asText()).isEqualTo("ubuntu@22.04");
    assertThat(backup.at("/metadata/haNodes").asText()).isEqualTo("3");
    assertThat(backup.at("/metadata/formatVersion").asText()).isEqualTo("1");
    List<String> create = createCall(juju);
    assertThat(create.subList(0, 2)).containsExactly("create-backup", "--filename");
    assertThat(create).containsSequence("-m", "lifeboat-test:controller");
    assertThat(Path.of(create.get(2)).getParent()).doesNotExist();
  }

  @Test
  void aCorruptedDownloadIsRefusedWithNothingCatalogued() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju-corrupt"), JujuStandIn.JUJU_3, 1);
    juju.set("corruptDownload", true);
    JsonNode run = backup(juju, Map.of(), "FAILED");

    assertThat(run.get("message").asText()).contains("checksum mismatch").contains("sha1-base64");
    String id = juju.state().get("backups").elements().next().get("id").asText();
    assertThat(lifeboat.get(ADMIN, "/api/backups/" + id).status()).isEqualTo(404);
    assertThat(step(run, "Task_DiscardArchive").get("status").asText()).isEqualTo("COMPLETED");
    List<String> create = createCall(juju);
    assertThat(Path.of(create.get(2)).getParent()).doesNotExist();
  }

  @Test
  void aFailingJujuFailsTheRunWithItsErrorLine() {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju-lost"), JujuStandIn.JUJU_1, 1);
    juju.loseAllStateServers();
    JsonNode run = backup(juju, Map.of(), "FAILED");
    assertThat(run.get("message").asText()).contains("ERROR Unable to connect to environment \"jujutest\".");
  }

  @Test
  void acceptsAnUploadedJujuArchiveAndRefusesAnythingElse() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju-upload"), JujuStandIn.JUJU_1, 1);
    new ProcessBuilder(juju.command(), "backups", "create", "--no-download", "uploaded")
        .directory(juju.dir().toFile()).start().waitFor();
    JsonNode made = juju.state().get("backups").elements().next();
    byte[] archive = Files.readAllBytes(Path.of(made.get("path").asText()));

    LifeboatApp.Response uploaded = lifeboat.postBytes(OPERATOR, "/api/backups?kind=juju-controller-backup", archive);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    JsonNode backup = uploaded.json();
    assertThat(backup.get("id").asText()).isEqualTo(made.get("id").asText());
    assertThat(backup.at("/metadata/checksum").asText()).isEqualTo(made.get("checksum").asText());
    assertThat(backup.at("/metadata/uploaded").asBoolean()).isTrue();
    assertThat(backup.get("startedAt").asText()).startsWith(made.get("id").asText().substring(0, 4));
    assertThat(backup.get("notes").asText()).isEqualTo("uploaded");

    ByteArrayOutputStream notJuju = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(notJuju)) {
      gz.write(new byte[1024]); // an empty tar: no juju-backup/ at all
    }
    LifeboatApp.Response refused = lifeboat.postBytes(OPERATOR, "/api/backups?kind=juju-controller-backup",
        notJuju.toByteArray());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("no juju-backup/metadata.json");
    LifeboatApp.Response garbage = lifeboat.postBytes(OPERATOR, "/api/backups?kind=juju-controller-backup",
        "not a tarball".getBytes());
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body()).contains("not in the .gz format");
  }

  private JsonNode backup(JujuStandIn juju, Map<String, String> extra, String status) {
    Map<String, String> parameters = new HashMap<>(extra);
    parameters.put("host", host);
    parameters.put("credentialRef", Shared.SSH_REF);
    parameters.put("jujuCommand", juju.command());
    String runId = lifeboat.startRun(OPERATOR, "juju-controller-backup", parameters);
    return lifeboat.awaitRun(runId, RUN_TIMEOUT, status);
  }

  private List<String> createCall(JujuStandIn juju) {
    return juju.calls().stream()
        .filter(c -> c.getFirst().equals("create-backup") || c.size() > 1 && c.get(1).equals("create"))
        .findFirst().orElseThrow();
  }

  static JsonNode step(JsonNode run, String id) {
    for (JsonNode step : run.get("steps")) {
      if (step.get("elementId").asText().endsWith(id)) {
        return step;
      }
    }
    throw new AssertionError("no step " + id + " in " + run);
  }

  static String sha1(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
  }

  @Test
  void theCatalogueAnswersJujusBackupsCommands() throws Exception {
    JujuStandIn juju = JujuStandIn.install(Shared.newDirectory("juju-catalogue"), JujuStandIn.JUJU_1, 1);
    new ProcessBuilder(juju.command(), "backups", "create", "--no-download", "for the catalogue")
        .directory(juju.dir().toFile()).start().waitFor();
    JsonNode made = juju.state().get("backups").elements().next();
    byte[] archive = Files.readAllBytes(Path.of(made.get("path").asText()));
    String id = made.get("id").asText();

    LifeboatApp.Response upload = lifeboat.postBytes(OPERATOR, "/api/juju/backups", archive);
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    assertThat(upload.body()).isEqualTo(id + "\n");
    assertThat(lifeboat.get(OPERATOR, "/api/juju/backups?brief=true").body().lines()).contains(id);
    String info = lifeboat.get(OPERATOR, "/api/juju/backups/" + id).body();
    assertThat(info).startsWith("backup ID:       \"" + id + "\"\n")
        .contains("checksum:        \"" + made.get("checksum").asText() + "\"\n")
        .contains("checksum format: \"SHA-1, base64 encoded\"\n")
        .contains("size (B):        " + archive.length + "\n")
        .contains("notes:           \"for the catalogue\"\n")
        .contains("environment ID:  \"" + juju.modelUuid() + "\"\n")
        .contains("juju version:    1.25.6\n")
        .endsWith("\n" + id + "\n");
    assertThat(lifeboat.get(OPERATOR, "/api/juju/backups").body()).contains("backup ID:       \"" + id + "\"");
    LifeboatApp.Response auditorDownload = lifeboat.get(LifeboatApp.AUDITOR, "/api/juju/backups/" + id + "/content");
    assertThat(auditorDownload.status()).isEqualTo(403);
    LifeboatApp.Response download = lifeboat.get(OPERATOR, "/api/juju/backups/" + id + "/content");
    assertThat(download.headers().get("content-disposition").getFirst()).contains("juju-backup-" + id + ".tar.gz");
    assertThat(lifeboat.download(OPERATOR, "/api/juju/backups/" + id + "/content")).isEqualTo(archive);
    LifeboatApp.Response removed = lifeboat.delete(OPERATOR, "/api/juju/backups/" + id);
    assertThat(removed.body()).isEqualTo("successfully removed: " + id + "\n");
    assertThat(lifeboat.get(OPERATOR, "/api/juju/backups/" + id).status()).isEqualTo(404);
  }
}
