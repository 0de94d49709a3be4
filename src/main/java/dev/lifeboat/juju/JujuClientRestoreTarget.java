package dev.lifeboat.juju;

import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.restore.RestoreTarget;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The Juju client directory's part of the restore skeleton (procedure 001, "Restoring ~/.juju"):
 * the document's {@code tar xzf} overwrites what the archive holds and leaves the rest, so the
 * approver is shown exactly which files are overwritten, added and left alone; the current
 * directory is copied aside first, and after extraction every file's size, checksum and mode is
 * checked against the archive.
 */
@Component
class JujuClientRestoreTarget implements RestoreTarget<ClientRestoreRun, ClientRestorePlan> {

  private static final int SHOWN = 200;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RemoteHosts hosts;
  private final BackupService backups;
  private final AgeEncryption age;
  private final Clock clock;

  JujuClientRestoreTarget(RemoteHosts hosts, BackupService backups, AgeEncryption age, Clock clock) {
    this.hosts = hosts;
    this.backups = backups;
    this.age = age;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return "juju-client";
  }

  @Override
  public Checked<ClientRestorePlan> check(ClientRestoreRun run, StepContext step) throws Exception {
    Backup backup;
    try {
      backup = backups.get(run.backupId());
    } catch (BackupNotFoundException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
    if (!JujuClientBackupService.KIND.equals(backup.kind())) {
      throw RestoreTarget.refused("backup " + backup.id() + " is a " + backup.kind() + ", not a Juju client backup");
    }
    if (!age.canDecrypt()) {
      throw RestoreTarget.refused("backup " + backup.id() + " is encrypted and Lifeboat has no key to decrypt it: set"
          + " lifeboat.encryption.age-identity-file to the age identity file (AGE-SECRET-KEY-1... lines) of one of its"
          + " recipients " + backup.metadata().get("recipients"));
    }
    Map<String, Object> meta = backup.metadata();
    String dir = run.jujuDir() != null && !run.jujuDir().isBlank() ? run.jujuDir().replaceAll("/+$", "")
        : String.valueOf(meta.get("jujuDir"));
    boolean sudo = Boolean.TRUE.equals(meta.get("sudo"));
    ClientFiles archive;
    try (InputStream in = backups.openPlaintext(backup.id())) {
      archive = ClientFiles.ofArchive(in);
    } catch (IOException e) {
      throw RestoreTarget.refused("backup " + backup.id() + " cannot be decrypted and read (" + e.getMessage()
          + "): a wrong identity, or a damaged archive");
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      boolean existed = host.run(Command.of("test", "-d", dir)).succeeded();
      ClientFiles now = ClientFiles.onHost(host, dir, sudo);
      String upload = host.run(Command.of("mktemp", "-d", "-t", "lifeboat-juju-client.XXXXXXXX"))
          .orThrow(host.where()).stdout().strip();
      String saved = dir + ".lifeboat-" + STAMP.format(clock.instant());
      ClientRestorePlan plan = new ClientRestorePlan(dir, existed, saved, upload, upload + "/juju-client.tar.gz",
          String.valueOf(meta.get("plaintextSha256")), -1, sudo, archive.digest(), archive.files().size());
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("host", host.where());
      target.put("jujuDir", dir);
      target.put("files", now.files().size());
      target.put("overwritten", ClientFiles.capped(now.overwrittenBy(archive), SHOWN));
      target.put("added", ClientFiles.capped(now.addedBy(archive), SHOWN));
      target.put("unchanged", ClientFiles.capped(now.unchangedBy(archive), SHOWN));
      target.put("leftAlone", ClientFiles.capped(now.leftAloneBy(archive), SHOWN));
      Map<String, Object> replacement = new LinkedHashMap<>();
      replacement.put("backupId", backup.id());
      replacement.put("takenFrom", meta.get("host") + ":" + meta.get("jujuDir"));
      replacement.put("takenAt", backup.startedAt() == null ? null : backup.startedAt().toString());
      replacement.put("files", archive.files().size());
      replacement.put("encryptedTo", meta.get("recipients"));
      replacement.put("sha256", backup.sha256());
      replacement.put("archiveSha256", meta.get("plaintextSha256"));
      Map<String, Object> before = new LinkedHashMap<>();
      before.put("treeDigest", now.digest());
      before.put("fileCount", now.files().size());
      List<String> warnings = List.of("This extracts the archive and overwrites any existing files in the Juju"
          + " directory (procedure 001, 'Restoring ~/.juju'); files it does not hold are left alone",
          "The archive holds the keys that control the environments; it is decrypted into " + upload
              + " (mode 0700) on the host and removed when the run ends");
      List<PlannedCommand> commands = new ArrayList<>();
      commands.add(new PlannedCommand("save aside", host.where(), sudo(plan, "cp", "-a", "--", dir, saved).describe(), false));
      commands.add(new PlannedCommand("apply", host.where(), sudo(plan, "mkdir", "-p", "--", dir).describe() + "; "
          + sudo(plan, "tar", "-C", dir, "--strip-components=1", "-xpzf", plan.uploadFile()).describe(), false));
      commands.add(new PlannedCommand("verify", host.where(), "find <jujuDir> -type f: size, mode, sha256sum of each", false));
      commands.add(new PlannedCommand("roll back", host.where(), sudo(plan, "rm", "-rf", "--", dir).describe() + "; "
          + sudo(plan, "mv", "--", saved, dir).describe(), false));
      commands.add(new PlannedCommand("clean up", host.where(), Command.of("rm", "-rf", "--", upload).describe(), false));
      step.message(dir + " on " + host.where() + ": " + now.overwrittenBy(archive).size() + " files overwritten, "
          + now.addedBy(archive).size() + " added, " + now.unchangedBy(archive).size() + " unchanged, "
          + now.leftAloneBy(archive).size() + " left alone");
      String empty = now.files().isEmpty() ? dir + " holds no file on " + host.where() : null;
      return new Checked<>(plan, "restore the Juju client directory " + dir + " on " + host.where() + " from "
          + backup.id(), target, replacement, before, warnings, saved, commands, empty);
    }
  }

  /** Decrypted here and uploaded into the private directory; sha256sum there must print the archive's sha256. */
  @Override
  public Map<String, Object> prepareArtifact(ClientRestoreRun run, ClientRestorePlan plan, StepContext step)
      throws IOException {
    Path plain = Files.createTempFile("lifeboat-juju-client", ".tar.gz");
    try {
      Files.setPosixFilePermissions(plain, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      try (InputStream in = backups.openPlaintext(run.backupId())) {
        Files.copy(in, plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef());
          InputStream in = Files.newInputStream(plain)) {
        host.upload(in, Files.size(plain), plan.uploadFile(), done -> step.progress(done, null, "bytes"));
        String onHost = host.sha256(plan.uploadFile());
        if (!onHost.equals(plan.plaintextSha256())) {
          host.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
          throw RestoreTarget.refused("the decrypted archive on " + host.where() + " hashes to " + onHost
              + ", the backup recorded " + plan.plaintextSha256() + "; nothing was changed");
        }
        step.message("decrypted and uploaded to " + plan.uploadFile() + "; sha256sum printed " + onHost);
        return Map.of("checksumVerifiedOnHost", "sha256sum on " + host.where() + " printed " + onHost
            + " (the archive inside the encryption, as recorded)");
      }
    } finally {
      Files.deleteIfExists(plain);
    }
  }

  @Override
  public void stop(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    step.message("nothing to stop: the client directory is files only");
  }

  @Override
  public void saveAside(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    if (!plan.existed()) {
      step.message(plan.jujuDir() + " did not exist: nothing to save");
      return;
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(sudo(plan, "cp", "-a", "--", plan.jujuDir(), plan.savedDir())).orThrow(host.where());
      step.message("copied " + plan.jujuDir() + " to " + plan.savedDir());
    }
  }

  @Override
  public void apply(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(sudo(plan, "mkdir", "-p", "--", plan.jujuDir())).orThrow(host.where());
      host.run(sudo(plan, "tar", "-C", plan.jujuDir(), "--strip-components=1", "-xpzf", plan.uploadFile()))
          .orThrow(host.where());
      step.message("extracted " + plan.fileCount() + " files into " + plan.jujuDir());
    }
  }

  @Override
  public void start(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    step.message("nothing to start");
  }

  /** Every file of the archive is on the host with its size, sha256 and mode. */
  @Override
  public Map<String, Object> verify(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) throws IOException {
    ClientFiles archive;
    try (InputStream in = backups.openPlaintext(run.backupId())) {
      archive = ClientFiles.ofArchive(in);
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      List<String> differences = ClientFiles.onHost(host, plan.jujuDir(), plan.sudo()).differencesFrom(archive);
      if (!differences.isEmpty()) {
        throw new JujuException("after extraction " + differences.size() + " files differ from the archive: "
            + String.join("; ", ClientFiles.capped(differences, 20)));
      }
      step.message("all " + archive.files().size() + " files of the archive are in " + plan.jujuDir()
          + " with their size, sha256 and mode");
      return Map.of("restoredFiles", archive.files().size(), "savedDir", plan.existed() ? plan.savedDir() : "");
    }
  }

  @Override
  public SavedData savedData(ClientRestoreRun run, ClientRestorePlan plan) {
    if (!plan.existed()) {
      return SavedData.WAS_EMPTY;
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      return host.run(Command.of("test", "-d", plan.savedDir())).succeeded() ? SavedData.SAVED_ASIDE : SavedData.GONE;
    }
  }

  @Override
  public void putBack(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(sudo(plan, "rm", "-rf", "--", plan.jujuDir())).orThrow(host.where());
      if (plan.existed()) {
        host.run(sudo(plan, "mv", "--", plan.savedDir(), plan.jujuDir())).orThrow(host.where());
        step.message("moved " + plan.savedDir() + " back to " + plan.jujuDir());
      }
    }
  }

  @Override
  public Map<String, Object> inspect(ClientRestoreRun run, ClientRestorePlan plan) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      ClientFiles now = ClientFiles.onHost(host, plan.jujuDir(), plan.sudo());
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("treeDigest", now.digest());
      facts.put("fileCount", now.files().size());
      return facts;
    }
  }

  @Override
  public String describeState(ClientRestoreRun run, ClientRestorePlan plan, SavedData saved) {
    return (saved == SavedData.SAVED_ASIDE ? "the previous directory is in " + plan.savedDir()
        : saved == SavedData.IN_PLACE ? "the previous directory is still in " + plan.jujuDir()
        : "the previous directory is not known to be anywhere") + "; " + plan.jujuDir()
        + " holds whatever the extraction left. Check it by hand";
  }

  @Override
  public void cleanUp(ClientRestoreRun run, ClientRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", plan.uploadDir())).orThrow(host.where());
      step.message("removed " + plan.uploadDir() + " on " + host.where());
    }
  }

  private static Command sudo(ClientRestorePlan plan, String... arguments) {
    List<String> all = new ArrayList<>();
    if (plan.sudo()) {
      all.addAll(List.of("sudo", "-n", "--"));
    }
    all.addAll(List.of(arguments));
    return Command.of(all);
  }
}
