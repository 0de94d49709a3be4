package dev.lifeboat.juju;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.AgeTool;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.Shared;
import dev.lifeboat.testsupport.SshdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * juju-client-backup and juju-client-restore through a real sshd with a Lifeboat of its own (age
 * recipients and identity configured): the archive decrypts with Debian's age and matches the
 * directory file by file, permissions too, excludes absent; without recipients it refuses; a
 * restore shows what it overwrites, adds and leaves alone, is rejected, approved, or rolled back
 * after a failure; no secret of the directory leaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JujuClientBackupIT {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
  private static final String SECRET = "s3cr3t-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

  Path dir;
  Path identity;
  SshdProcess sshd;
  LifeboatApp lifeboat;
  ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  void start() throws IOException {
    dir = Shared.newDirectory("juju-client");
    identity = dir.resolve("identity.txt");
    String recipient = AgeTool.keygen(identity);
    Files.writeString(dir.resolve("recipients.txt"), "# the team\n" + recipient + "\n");
    sshd = Shared.sshd();
    Map<String, String> properties = new HashMap<>(sshd.lifeboatProperties("client-host", dir.resolve("known_hosts"),
        sshd.knownHostsLine()));
    properties.put("lifeboat.encryption.age-recipients-file", dir.resolve("recipients.txt").toString());
    properties.put("lifeboat.encryption.age-identity-file", identity.toString());
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    lifeboat = LifeboatApp.start(dir.resolve("lifeboat"), properties);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    Servers.closeAll(lifeboat);
  }

  @Test
  void encryptedBackupDecryptsWithAgeToTheDirectoryWithoutTheExcludes() throws Exception {
    Path juju = clientDirectory(dir.resolve("home/.local/share/juju"));
    JsonNode run = backup(lifeboat, "client-host", Map.of("jujuDir", juju.toString(), "excludes", "local, local2/",
        "notes", "weekly"), "COMPLETED");

    String backupId = run.at("/outputs/backupId").asText();
    assertThat(run.at("/outputs/fileCount").asInt()).isEqualTo(5);
    JsonNode backup = lifeboat.get(ADMIN, "/api/backups/" + backupId).json();
    assertThat(backup.get("kind").asText()).isEqualTo("juju-client-backup");
    assertThat(backup.at("/metadata/encrypted").asBoolean()).isTrue();
    assertThat(backup.at("/metadata/recipients/0").asText()).isEqualTo(AgeTool.publicKey(identity));
    assertThat(backup.get("sha256").asText()).isEqualTo(run.at("/outputs/sha256").asText());
    String page = dev.lifeboat.testsupport.WebSession.loggedIn(lifeboat, OPERATOR).get("/backups/" + backupId).body();
    assertThat(page).contains("id=\"backup-encrypted\"").contains("yes (age), to [" + AgeTool.publicKey(identity) + "]");

    Path encrypted = dir.resolve("backup.tar.gz.age");
    Files.write(encrypted, lifeboat.download(OPERATOR, "/api/backups/" + backupId + "/content"));
    Path plain = dir.resolve("backup.tar.gz");
    AgeTool.Result decrypted = AgeTool.age("-d", "-i", identity.toString(), "-o", plain.toString(), encrypted.toString());
    assertThat(decrypted.exitCode()).as(decrypted.stderr()).isZero();
    assertThat(JujuTestSupport.sha256(plain)).isEqualTo(backup.at("/metadata/plaintextSha256").asText());
    Path restored = Files.createDirectories(dir.resolve("restored"));
    assertThat(new ProcessBuilder("tar", "-C", restored.toString(), "-xpzf", plain.toString()).inheritIO().start()
        .waitFor()).isZero();

    Map<String, String> expected = tree(juju);
    expected.keySet().removeIf(path -> path.startsWith("local/") || path.startsWith("local2/") || path.equals("local")
        || path.equals("local2"));
    assertThat(tree(restored.resolve("juju"))).isEqualTo(expected);
    assertThat(restored.resolve("juju/local")).doesNotExist();
    assertThat(restored.resolve("juju/local2")).doesNotExist();

    assertNoSecretLeaked(run.get("id").asText(), backupId);
  }

  @Test
  void refusesWithoutAgeRecipientsSayingWhatToConfigure() {
    Path juju = clientDirectory(Shared.newDirectory("juju-client-plain").resolve("juju"));
    JsonNode run = backup(Shared.lifeboat(), Shared.SSH_REF, Map.of("jujuDir", juju.toString()), "FAILED");
    assertThat(run.get("message").asText()).contains("lifeboat.encryption.age-recipients-file");
    assertThat(run.get("steps")).hasSize(1);
  }

  @Test
  void restoreShowsWhatChangesAndARejectionChangesNothing() throws Exception {
    Path juju = clientDirectory(dir.resolve("reject/juju"));
    String backupId = backupOf(juju);
    changeAfterBackup(juju);
    Map<String, String> before = tree(juju);

    String runId = restore(backupId, juju);
    JsonNode task = awaitTask(runId);
    JsonNode target = task.at("/evidence/target");
    assertThat(target.get("overwritten").toString()).contains("accounts.yaml").doesNotContain("cookies");
    assertThat(target.get("added").toString()).contains("controllers.yaml");
    assertThat(target.get("unchanged").toString()).contains("cookies/prod.json").contains("ssh/juju_id_rsa");
    assertThat(target.get("leftAlone").toString()).contains("extra.yaml");
    JsonNode parameters = task.at("/evidence/parameters");
    assertThat(parameters.toString()).contains(juju.toString()).contains("jujuCommand");
    assertThat(task.at("/evidence/rollback/savedTo").asText()).startsWith(juju + ".lifeboat-");

    lifeboat.post(LifeboatApp.APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "REJECT", "comment", "wrong machine"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "REJECTED");
    assertThat(run.at("/outputs/outcome").asText()).isEqualTo("REJECTED");
    assertThat(tree(juju)).isEqualTo(before);
  }

  @Test
  void approvedRestoreOverwritesAddsKeepsTheRestAndSavesTheOldDirectory() throws Exception {
    Path juju = clientDirectory(dir.resolve("approve/juju"));
    Map<String, String> backedUp = tree(juju);
    String backupId = backupOf(juju);
    changeAfterBackup(juju);
    Map<String, String> changed = tree(juju);

    String runId = restore(backupId, juju);
    JsonNode task = awaitTask(runId);
    lifeboat.post(LifeboatApp.APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "laptop replaced"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "COMPLETED", "FAILED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.at("/outputs/restoredFiles").asInt()).isEqualTo(7);

    Map<String, String> now = tree(juju);
    assertThat(now).containsAllEntriesOf(backedUp).containsKey("extra.yaml");
    assertThat(tree(Path.of(run.at("/outputs/savedDir").asText()))).isEqualTo(changed);
    assertNoSecretLeaked(runId, backupId);
  }

  @Test
  void aFailedExtractionIsRolledBackAndVerified() throws Exception {
    Path juju = clientDirectory(dir.resolve("rollback/juju"));
    String backupId = backupOf(juju);
    Files.delete(juju.resolve("accounts.yaml"));
    Files.createDirectories(juju.resolve("accounts.yaml/in-the-way")); // tar cannot put a file there
    Map<String, String> before = tree(juju);

    String runId = restore(backupId, juju);
    JsonNode task = awaitTask(runId);
    lifeboat.post(LifeboatApp.APPROVER, "/api/tasks/" + task.get("id").asText() + "/complete",
        Map.of("decision", "APPROVE", "comment", "go"));
    JsonNode run = lifeboat.awaitRun(runId, RUN_TIMEOUT, "FAILED", "COMPLETED");
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    assertThat(run.at("/outputs/outcome").asText()).as(run.toString()).isEqualTo("ROLLED_BACK_AND_VERIFIED");
    assertThat(tree(juju)).isEqualTo(before);
  }

  private String backupOf(Path juju) {
    return backup(lifeboat, "client-host", Map.of("jujuDir", juju.toString()), "COMPLETED")
        .at("/outputs/backupId").asText();
  }

  /** accounts.yaml changed, controllers.yaml gone, extra.yaml new. */
  private static void changeAfterBackup(Path juju) throws IOException {
    write(juju.resolve("accounts.yaml"), "controllers: {}\n", "rw-------");
    Files.delete(juju.resolve("controllers.yaml"));
    write(juju.resolve("extra.yaml"), "mine\n", "rw-r--r--");
  }

  private String restore(String backupId, Path juju) {
    return lifeboat.startRun(OPERATOR, "juju-client-restore", Map.of("backupId", backupId, "host", sshd.host(),
        "credentialRef", "client-host", "jujuDir", juju.toString(), "reason", "new laptop"));
  }

  private JsonNode awaitTask(String runId) {
    return JujuTestSupport.awaitTask(lifeboat, runId, RUN_TIMEOUT);
  }

  private void assertNoSecretLeaked(String runId, String backupId) throws IOException {
    List<String> responses = List.of(
        lifeboat.get(ADMIN, "/api/runs/" + runId).body(),
        lifeboat.get(ADMIN, "/api/backups/" + backupId).body(),
        lifeboat.get(ADMIN, "/api/backups").body(),
        lifeboat.get(AUDITOR, "/api/audit?size=500").body(),
        lifeboat.get(AUDITOR, "/api/audit/export?format=json").body());
    assertThat(responses).noneMatch(body -> body.contains(SECRET));
    assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(SECRET));
    // Variables, steps and the audit trail as the database keeps them (H2 files under the data dir).
    try (Stream<Path> files = Files.walk(dir.resolve("lifeboat"))) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("backups")).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain(SECRET);
      }
    }
  }

  /** A 2.x client directory with its secrets, private modes, and local provider data to exclude. */
  private static Path clientDirectory(Path juju) {
    try {
      Files.createDirectories(juju.resolve("ssh"));
      Files.createDirectories(juju.resolve("local/lxc"));
      Files.createDirectories(juju.resolve("local2"));
      Files.createDirectories(juju.resolve("cookies"));
      write(juju.resolve("accounts.yaml"), "controllers:\n  prod:\n    user: admin\n    password: " + SECRET + "\n", "rw-------");
      write(juju.resolve("credentials.yaml"), "credentials:\n  aws:\n    secret-key: " + SECRET + "\n", "rw-------");
      write(juju.resolve("ssh/juju_id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n" + SECRET + "\n", "r--------");
      write(juju.resolve("controllers.yaml"), "controllers: {}\n", "rw-r--r--");
      write(juju.resolve("cookies/prod.json"), "[]\n", "rw-r-----");
      write(juju.resolve("local/lxc/rootfs.img"), "big local provider data\n", "rw-------");
      write(juju.resolve("local2/state"), "more local data\n", "rw-r--r--");
      return juju;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content, String mode) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  /** Every file and directory below {@code root}: relative path → mode and (for files) sha256. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        tree.put(root.relativize(path).toString(),
            Files.isDirectory(path) ? "dir " + mode : mode + " " + JujuTestSupport.sha256(path));
      }
    }
    return tree;
  }

  private JsonNode backup(LifeboatApp app, String ref, Map<String, String> extra, String status) {
    Map<String, String> parameters = new HashMap<>(extra);
    parameters.put("host", sshd.host());
    parameters.put("credentialRef", ref);
    String runId = app.startRun(OPERATOR, "juju-client-backup", parameters);
    return app.awaitRun(runId, RUN_TIMEOUT, status);
  }
}
