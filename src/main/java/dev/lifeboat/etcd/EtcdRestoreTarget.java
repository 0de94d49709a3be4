package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.UnsafeArchiveException;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.catalog.UndecryptableBackupException;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostKeyRejectedException;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.restore.RestoreTarget;
import dev.lifeboat.runbook.StepContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * etcd's part of the restore skeleton, as the etcd charm's restore action does it: a catalogued
 * snapshot onto the single member of a cluster on a host, restored with a new cluster token.
 */
@Component
class EtcdRestoreTarget implements RestoreTarget<RestoreRun, RestorePlan> {

  static final String SCALED_CLUSTER_WARNING = "Restoring from a snapshot on a scaled cluster will result in a broken"
      + " cluster (etcd charm): during the restore a new cluster ID is initialised and peers are dropped."
      + " Restore onto a new single-member cluster, then scale it up";
  static final String PKI_WARNING = "Loss of PKI (etcd charm): TLS certificates are not part of the snapshot;"
      + " they stay with the units that requested them";

  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern MINOR = Pattern.compile("(\\d+)\\.(\\d+)");
  /**
   * Evidence fact: the uploaded snapshot's identity (device, inode, size, change time) when the
   * host hashed it; the restore runs only on a file that still has it.
   */
  static final String SNAPSHOT_IDENTITY = "snapshotIdentityOnHost";

  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdRestoreTarget(RemoteHosts hosts, BackupService backups, ObjectMapper json, Clock clock) {
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return "etcd";
  }

  @Override
  public Checked<RestorePlan> check(RestoreRun run, StepContext step) {
    Backup backup = backupOf(run.backupId());
    SnapshotMetadata snapshot = snapshotOf(backup);
    try {
      backups.requireReadable(backup);
    } catch (UndecryptableBackupException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
    try (HostSession host = connectForChecks(run)) {
      EtcdHost etcd = new EtcdHost(host, run.clientUrl(), json);
      step.message("checking etcd tools on " + host.where());
      String etcdVersion = requireTool(etcd, "etcd", host);
      String etcdctlVersion = requireTool(etcd, "etcdctl", host);
      String restoreTool = "etcdctl";
      if (EtcdHost.atLeast(etcdVersion, 3, 5)) {
        requireTool(etcd, "etcdutl", host);
        restoreTool = "etcdutl";
      }
      List<String> warnings = new ArrayList<>();
      warnings.add(PKI_WARNING);
      checkVersions(run, snapshot.etcdVersion(), etcdVersion, warnings);
      boolean hasData = host.run(Command.of("test", "-e", run.dataDir())).succeeded();
      if (hasData && !host.run(Command.of("test", "-d", run.dataDir())).succeeded()) {
        throw RestoreTarget.refused("dataDir " + run.dataDir() + " on " + host.where() + " is not a directory;"
            + " name the data directory the member runs with (--data-dir)");
      }
      EtcdHost.Status status = null;
      if (hasData) {
        try {
          status = etcd.status();
        } catch (EtcdException e) {
          throw RestoreTarget.refused("the target member does not answer: " + e.getMessage()
              + ". The restore checks the running cluster before it stops it; start it, or correct clientUrl");
        }
        if (status.members().size() != 1) {
          throw RestoreTarget.refused("the target cluster at " + run.clientUrl() + " has " + status.members().size()
              + " members " + status.members() + "; a restore is only allowed onto a single-member cluster. "
              + SCALED_CLUSTER_WARNING);
        }
      }
      String saved = run.target() != null && !run.target().isBlank() ? run.target()
          : run.dataDir() + ".lifeboat-" + STAMP.format(clock.instant());
      if (hasData && !run.skipsBackup() && host.run(Command.of("test", "-e", saved)).succeeded()) {
        throw RestoreTarget.refused("target " + saved + " already exists on " + host.where()
            + "; the existing data is saved there, so name a path that does not exist yet");
      }
      String parent = parentOf(run.dataDir());
      if (!host.run(Command.of("test", "-d", parent)).succeeded()) {
        throw RestoreTarget.refused(parent + " does not exist on " + host.where() + "; dataDir must be in an existing"
            + " directory");
      }
      long free = freeBytes(host, parent);
      String uploadDir = SnapshotOnHost.uploadDir(run.dataDir(), run.runId());
      // A copy an etcd-migration sent while taking the snapshot already takes its space.
      boolean sentAlready = run.snapshotCopy() != null
          && SnapshotOnHost.snapshotPath(uploadDir).equals(run.snapshotCopy().path());
      long needed = (sentAlready ? 1 : 2) * snapshot.snapshot().size();
      if (free < needed) {
        throw RestoreTarget.refused(parent + " on " + host.where() + " has " + free / (1 << 20) + " MiB free; the"
            + " restore needs " + needed / (1 << 20) + " MiB (the uploaded snapshot and the restored database)");
      }
      long revision = status == null ? 0 : status.revision();
      long keyCount = status == null ? 0 : status.keyCount();
      RestorePlan plan = new RestorePlan(restoreTool, etcdVersion, hasData, saved, uploadDir,
          SnapshotOnHost.snapshotPath(uploadDir), snapshot.snapshot().size(), snapshot.snapshot().sha256(), snapshot.revision(),
          snapshot.revisionExact(), snapshot.keyCount(), revision, keyCount);
      String emptyProof = !hasData ? "no data directory at " + run.dataDir() + " on " + host.where()
          : keyCount == 0 && revision <= 1 ? "the member holds 0 keys at revision " + revision
              + " (a fresh single-member cluster)" : null;
      step.message((status == null ? "no data directory at " + run.dataDir() : status.summary()) + "; etcd "
          + etcdVersion + ", etcdctl " + etcdctlVersion + ", restores with " + restoreTool + "; "
          + free / (1 << 20) + " MiB free");
      Map<String, Object> before = new LinkedHashMap<>();
      if (hasData) {
        before.put("keyCount", keyCount);
        before.put("revision", revision);
      } else {
        before.put("dataDir", "absent");
      }
      return new Checked<>(plan,
          "Replace the data of etcd member '" + run.name() + "' on " + host.where() + " (" + keyCount
              + " keys at revision " + revision + ") with snapshot " + run.backupId() + " (" + snapshot.keyCount()
              + " keys at revision " + snapshot.revision() + ")",
          targetFacts(run, host.where(), status, etcdVersion), replacementFacts(run, backup, snapshot), before,
          warnings, run.skipsBackup() ? null : saved, commands(run, plan, host.where()), emptyProof);
    }
  }

  /** A snapshot restores onto the same or the next minor version, never onto an older one. */
  private static void checkVersions(RestoreRun run, String snapshotVersion, String targetVersion,
      List<String> warnings) {
    int[] from = minor(snapshotVersion);
    int[] to = minor(targetVersion);
    if (from == null || to == null) {
      warnings.add("Versions not compared: snapshot taken on etcd " + snapshotVersion + ", target runs " + targetVersion);
      return;
    }
    String problem = null;
    if (to[0] != from[0] || to[1] < from[1]) {
      problem = "the snapshot was taken on etcd " + snapshotVersion + " and the target runs etcd " + targetVersion
          + ": a downgrade or a change of major version";
    } else if (to[1] - from[1] > 1) {
      problem = "the snapshot was taken on etcd " + snapshotVersion + " and the target runs etcd " + targetVersion
          + ": more than one minor version apart (etcd upgrades one minor version at a time)";
    }
    if (problem == null) {
      return;
    }
    if (!run.allowsVersionSkew()) {
      throw RestoreTarget.refused(problem + ". Restore onto a member of a compatible version, or set"
          + " allowVersionSkew=true to accept the risk (the approver sees it)");
    }
    warnings.add("allowVersionSkew=true: " + problem);
  }

  private static int[] minor(String version) {
    Matcher matcher = MINOR.matcher(version == null ? "" : version);
    return matcher.find() ? new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))} : null;
  }

  private static Map<String, Object> targetFacts(RestoreRun run, String where, EtcdHost.Status status,
      String etcdVersion) {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("host", where);
    target.put("member", run.name());
    target.put("clientUrl", run.clientUrl());
    target.put("dataDir", run.dataDir() + (status == null ? " (does not exist)" : ""));
    if (status != null) {
      target.put("members", status.members());
      target.put("memberCount", status.members().size());
      target.put("clusterId", status.clusterId());
    }
    target.put("etcdVersion", etcdVersion);
    target.put("revision", status == null ? 0 : status.revision());
    target.put("keyCount", status == null ? 0 : status.keyCount());
    if (status != null) {
      target.put("dbSize", status.dbSize());
    }
    return target;
  }

  private static Map<String, Object> replacementFacts(RestoreRun run, Backup backup, SnapshotMetadata snapshot) {
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("backupId", run.backupId());
    replacement.put("source", snapshot.clusterId());
    replacement.put("clusterId", snapshot.clusterId());
    replacement.put("sourceEndpoints", snapshot.endpoints());
    replacement.put("takenAt", snapshot.finishedAt() == null ? null : snapshot.finishedAt().toString());
    replacement.put("etcdVersion", snapshot.etcdVersion());
    replacement.put("revision", snapshot.revision());
    replacement.put("keyCount", snapshot.keyCount());
    replacement.put("dbSize", snapshot.snapshot().size());
    replacement.put("archiveSha256", backup.sha256());
    replacement.put("snapshotSha256", snapshot.snapshot().sha256());
    return replacement;
  }

  /** Every command that runs on the host after the approval, in order, the rollback's included. */
  private static List<PlannedCommand> commands(RestoreRun run, RestorePlan plan, String where) {
    List<PlannedCommand> commands = new ArrayList<>();
    commands.add(new PlannedCommand("stop", where, run.stopCommand(), true));
    if (plan.targetHadData()) {
      commands.add(new PlannedCommand("save aside", where, run.skipsBackup()
          ? Command.of("rm", "-rf", "--", run.dataDir()).describe()
          : Command.of("mv", "--", run.dataDir(), plan.savedDataDir()).describe(), false));
    }
    commands.add(new PlannedCommand("restore", where, restoreCommand(run, plan).describe(), false));
    commands.add(new PlannedCommand("start", where, run.startCommand(), true));
    commands.add(new PlannedCommand("clean up", where, Command.of("rm", "-rf", "--", plan.uploadDir()).describe(), false));
    if (!run.skipsBackup()) {
      commands.add(new PlannedCommand("rollback", where, run.stopCommand(), true));
      commands.add(new PlannedCommand("rollback", where, Command.of("rm", "-rf", "--", run.dataDir()).describe(), false));
      if (plan.targetHadData()) {
        commands.add(new PlannedCommand("rollback", where,
            Command.of("mv", "--", plan.savedDataDir(), run.dataDir()).describe(), false));
        commands.add(new PlannedCommand("rollback", where, run.startCommand(), true));
      }
    }
    return commands;
  }

  private static Command restoreCommand(RestoreRun run, RestorePlan plan) {
    return Command.of("env", "ETCDCTL_API=3", plan.restoreTool(), "snapshot", "restore", plan.snapshotPath(),
        "--data-dir", run.dataDir(),
        "--name", run.name(),
        "--initial-cluster", run.name() + "=" + run.peerUrl(),
        "--initial-cluster-token", run.clusterToken(),
        "--initial-advertise-peer-urls", run.peerUrl());
  }

  /**
   * Puts snapshot.db on the host, hashed there once by sha256sum as it is written. An etcd-migration
   * sent it while the snapshot was archived ({@code snapshotCopy}): then only the file's identity
   * is checked, the archive is not read again. Otherwise it is streamed out of the stored archive
   * (decrypted on the fly if it is encrypted) while the archive is checked against its catalogued
   * sha256 and the snapshot against etcd's own hash. Either way the host's sha256 must be the
   * catalogued one, and the file's identity then is recorded for {@link #apply}.
   */
  @Override
  public Map<String, Object> prepareArtifact(RestoreRun run, RestorePlan plan, StepContext step) throws IOException {
    Backup backup = backupOf(run.backupId());
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      SnapshotOnHost.Copy copy = run.snapshotCopy();
      if (copy != null) {
        String unusable = unusable(copy, backup, plan, host);
        if (unusable == null) {
          step.message("snapshot.db was sent to " + plan.snapshotPath() + " while the snapshot was archived; sha256sum"
              + " on the host printed " + copy.sha256() + " as it was written, the catalogued sha256, and the file is"
              + " unchanged since (" + copy.identity() + ")");
          return verifiedFacts(host, copy);
        }
        step.message("the copy sent while the snapshot was taken is not used (" + unusable + "); uploading from"
            + " the archive");
      }
      SnapshotOnHost.Copy sent = null;
      EtcdSnapshotDigest snapshotDigest = null;
      try (InputStream archive = backups.openPlaintext(backup.id());
          ArchiveReader reader = new ArchiveReader(archive)) {
        for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
          if (SnapshotMetadata.SNAPSHOT_ENTRY.equals(entry.name())) {
            if (entry.size() != plan.snapshotSize()) {
              throw corrupt(host, plan, "snapshot.db in archive " + backup.id() + " has " + entry.size()
                  + " bytes, the catalogue says " + plan.snapshotSize());
            }
            EtcdSnapshotDigest digest = new EtcdSnapshotDigest(entry.size());
            snapshotDigest = digest;
            sent = SnapshotOnHost.send(host, new DigestingStream(entry.content(), digest,
                done -> step.progress(done, plan.snapshotSize(), "bytes")), backup.id(), plan.uploadDir(),
                plan.snapshotPath(), Duration.ofHours(6));
          } else {
            entry.content().transferTo(OutputStream.nullOutputStream());
          }
        }
        archive.transferTo(OutputStream.nullOutputStream()); // the end is where the stored sha256 is checked
      } catch (UnsafeArchiveException | IOException e) {
        throw corrupt(host, plan, "archive " + backup.id() + " cannot be read (" + e.getMessage()
            + "): the stored copy is damaged");
      }
      String archiveSha = backup.sha256();
      if (snapshotDigest == null) {
        throw corrupt(host, plan, "archive " + backup.id() + " holds no snapshot.db");
      }
      EtcdSnapshotDigest.Result result = snapshotDigest.finish();
      if (result.hasHash() && !result.valid()) {
        throw corrupt(host, plan, "snapshot.db in " + backup.id() + " fails etcd's own integrity hash");
      }
      if (!sent.sha256().equals(plan.snapshotSha256()) || sent.size() != plan.snapshotSize()) {
        throw corrupt(host, plan, "the copy on " + host.where() + " (" + sent.size() + " bytes) hashes to "
            + sent.sha256() + ", expected " + plan.snapshotSha256() + ": the transfer was damaged");
      }
      step.message("archive sha256 " + archiveSha + (backup.encrypted() ? " (encrypted)" : "") + " matches the catalogue; snapshot.db uploaded to "
          + plan.snapshotPath() + " and its sha256 " + sent.sha256() + " confirmed by sha256sum on the host as it was"
          + " written");
      return verifiedFacts(host, sent);
    }
  }

  /** Why a copy sent during the snapshot cannot stand for the catalogued snapshot, or null if it can. */
  private static String unusable(SnapshotOnHost.Copy copy, Backup backup, RestorePlan plan, HostSession host) {
    if (!backup.id().equals(copy.backupId()) || !plan.snapshotPath().equals(copy.path())
        || !host.where().equals(copy.host())) {
      return "it is " + copy.path() + " on " + copy.host() + " for backup " + copy.backupId() + ", not "
          + plan.snapshotPath() + " on " + host.where() + " for " + backup.id();
    }
    if (!copy.sha256().equals(plan.snapshotSha256()) || copy.size() != plan.snapshotSize()) {
      return "the host hashed " + copy.size() + " bytes to " + copy.sha256() + "; the catalogue says "
          + plan.snapshotSize() + " bytes, sha256 " + plan.snapshotSha256();
    }
    String now = SnapshotOnHost.identity(host, copy.path());
    if (!copy.identity().equals(now)) {
      return "the file changed since it was hashed: " + (now == null ? "it is gone" : now + ", was "
          + copy.identity());
    }
    return null;
  }

  private static Map<String, Object> verifiedFacts(HostSession host, SnapshotOnHost.Copy copy) {
    return Map.of("checksumVerifiedOnHost", "sha256sum on " + host.where() + " printed " + copy.sha256()
        + " as it wrote the snapshot, as recorded in the snapshot's metadata",
        SNAPSHOT_IDENTITY, copy.identity());
  }

  @Override
  public void stop(RestoreRun run, RestorePlan plan, StepContext step) throws InterruptedException {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      CommandResult result = host.run(Command.shell(run.stopCommand()), STOP_TIMEOUT, step::output);
      result.orThrow(host.where());
      if (!new EtcdHost(host, run.clientUrl(), json).awaitDown(STOP_TIMEOUT)) {
        throw new EtcdException("etcd still answers at " + run.clientUrl() + " " + STOP_TIMEOUT.toSeconds()
            + " s after '" + run.stopCommand() + "'; check stopCommand");
      }
      step.message("'" + run.stopCommand() + "' ran; nothing answers at " + run.clientUrl() + " any more");
    }
  }

  @Override
  public void saveAside(RestoreRun run, RestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      if (!host.run(Command.of("test", "-e", run.dataDir())).succeeded()) {
        step.message(run.dataDir() + " does not exist: nothing to save");
        return;
      }
      if (run.skipsBackup()) {
        host.run(Command.of("rm", "-rf", "--", run.dataDir())).orThrow(host.where());
        step.message("skipBackup: removed " + run.dataDir() + " without keeping a copy");
        return;
      }
      if (host.run(Command.of("test", "-e", plan.savedDataDir())).succeeded()) {
        throw new EtcdException(plan.savedDataDir() + " appeared on " + host.where() + " since the checks;"
            + " refusing to overwrite it");
      }
      host.run(Command.of("mv", "--", run.dataDir(), plan.savedDataDir())).orThrow(host.where());
      step.message("moved " + run.dataDir() + " to " + plan.savedDataDir());
    }
  }

  @Override
  public void apply(RestoreRun run, RestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      String verified = run.verifiedSnapshotIdentity();
      String checked;
      if (verified != null) {
        // The host hashed the file as it wrote it; any write, truncation or replacement since changes its identity.
        String now = SnapshotOnHost.identity(host, plan.snapshotPath());
        if (!verified.equals(now)) {
          throw new EtcdException("the uploaded snapshot on " + host.where() + " changed since it was verified ("
              + (now == null ? "it is gone" : "its identity is " + now + ", was " + verified) + "); not restoring it");
        }
        checked = "snapshot unchanged since sha256sum verified it (" + now + ")";
      } else {
        String onHost = host.sha256(plan.snapshotPath());
        if (!onHost.equals(plan.snapshotSha256())) {
          throw new EtcdException("the uploaded snapshot on " + host.where() + " changed since it was verified (sha256 "
              + onHost + ", expected " + plan.snapshotSha256() + "); not restoring it");
        }
        checked = "sha256 re-checked";
      }
      host.run(restoreCommand(run, plan), Duration.ofHours(2), step::output).orThrow(host.where());
      step.message(checked + "; restored into " + run.dataDir() + " as member " + run.name() + " ("
          + run.peerUrl() + ") with cluster token " + run.clusterToken());
    }
  }

  @Override
  public void start(RestoreRun run, RestorePlan plan, StepContext step) throws InterruptedException {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      EtcdHost etcd = new EtcdHost(host, run.clientUrl(), json);
      if (etcd.up()) {
        step.message("etcd already answers at " + run.clientUrl());
        return;
      }
      host.run(Command.shell(run.startCommand()), START_TIMEOUT, step::output).orThrow(host.where());
      if (!etcd.awaitHealthy(START_TIMEOUT)) {
        throw new EtcdException("etcd did not become healthy at " + run.clientUrl() + " within "
            + START_TIMEOUT.toSeconds() + " s of '" + run.startCommand() + "'");
      }
      step.message("'" + run.startCommand() + "' ran; etcd is healthy at " + run.clientUrl());
    }
  }

  /** The restored member must be alone and hold what the snapshot holds. */
  @Override
  public Map<String, Object> verify(RestoreRun run, RestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      EtcdHost.Status status = new EtcdHost(host, run.clientUrl(), json).status();
      if (status.members().size() != 1) {
        throw new EtcdException("after the restore the cluster has " + status.summary() + "; expected one member");
      }
      if (status.keyCount() != plan.snapshotKeyCount()
          || (plan.snapshotRevisionExact() ? status.revision() != plan.snapshotRevision()
              : status.revision() < plan.snapshotRevision())) {
        throw new EtcdException("the restored member holds " + status.keyCount() + " keys at revision "
            + status.revision() + "; the snapshot holds " + plan.snapshotKeyCount() + " keys at revision "
            + plan.snapshotRevision());
      }
      step.message("healthy, " + status.summary() + ", as in the snapshot");
      return Map.of("restoredKeyCount", status.keyCount(), "restoredRevision", status.revision(),
          "savedDataDir", run.skipsBackup() || !plan.targetHadData() ? "" : plan.savedDataDir());
    }
  }

  @Override
  public SavedData savedData(RestoreRun run, RestorePlan plan) {
    if (!plan.targetHadData()) {
      return SavedData.WAS_EMPTY;
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      return host.run(Command.of("test", "-d", plan.savedDataDir())).succeeded() ? SavedData.SAVED_ASIDE
          : SavedData.GONE;
    }
  }

  @Override
  public void putBack(RestoreRun run, RestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", run.dataDir())).orThrow(host.where());
      if (plan.targetHadData()) {
        host.run(Command.of("mv", "--", plan.savedDataDir(), run.dataDir())).orThrow(host.where());
        step.message("moved " + plan.savedDataDir() + " back to " + run.dataDir());
      } else {
        step.message("removed what the restore wrote to " + run.dataDir() + "; it did not exist before");
      }
    }
  }

  @Override
  public Map<String, Object> inspect(RestoreRun run, RestorePlan plan) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      if (!plan.targetHadData()) {
        return Map.of("dataDir", host.run(Command.of("test", "-e", run.dataDir())).succeeded() ? "present" : "absent");
      }
      EtcdHost.Status status = new EtcdHost(host, run.clientUrl(), json).status();
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("keyCount", status.keyCount());
      facts.put("revision", status.revision());
      return facts;
    }
  }

  @Override
  public String describeState(RestoreRun run, RestorePlan plan, SavedData saved) {
    String previous = run.skipsBackup() ? "the previous data was deleted without a copy (skipBackup)"
        : !plan.targetHadData() ? "there was no previous data"
        : saved == SavedData.SAVED_ASIDE ? "the previous data is in " + plan.savedDataDir()
        : saved == SavedData.IN_PLACE ? "the previous data is still in " + run.dataDir()
        : "the previous data is neither in " + plan.savedDataDir() + " nor known to be in " + run.dataDir();
    return previous + "; " + run.dataDir() + " holds whatever the restore attempt left; etcd on " + run.host()
        + " may be stopped. Check it by hand, or restore a snapshot";
  }

  @Override
  public void cleanUp(RestoreRun run, RestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", plan.uploadDir())).orThrow(host.where());
      step.message("removed " + plan.uploadDir() + " on " + host.where());
    }
  }

  /** A refused host key is a finding of the checks, not a fault to retry. */
  private HostSession connectForChecks(RestoreRun run) {
    try {
      return hosts.forRun(run.runId(), run.host(), run.credentialRef());
    } catch (HostKeyRejectedException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
  }

  private SnapshotMetadata snapshotOf(Backup backup) {
    if (!SnapshotMetadata.KIND.equals(backup.kind())) {
      throw RestoreTarget.refused("backup " + backup.id() + " is a " + backup.kind() + ", not an etcd snapshot");
    }
    return json.convertValue(backup.metadata(), SnapshotMetadata.class);
  }

  private Backup backupOf(String backupId) {
    try {
      return backups.get(backupId);
    } catch (BackupNotFoundException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
  }

  private static String requireTool(EtcdHost etcd, String tool, HostSession host) {
    String version = etcd.toolVersion(tool);
    if (version == null) {
      throw RestoreTarget.refused(tool + " is not installed on " + host.where()
          + " (not found on its PATH); the restore runs it there");
    }
    return version;
  }

  private static long freeBytes(HostSession host, String directory) {
    CommandResult df = host.run(Command.of("df", "-Pk", "--", directory)).orThrow(host.where());
    String[] lines = df.stdout().strip().split("\n");
    String[] columns = lines[lines.length - 1].trim().split("\\s+");
    try {
      return Long.parseLong(columns[3]) * 1024;
    } catch (RuntimeException e) {
      throw new EtcdException("cannot read the free space of " + directory + " from df on " + host.where() + ": "
          + df.stdout().strip());
    }
  }

  static String parentOf(String path) {
    String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    int slash = trimmed.lastIndexOf('/');
    return slash <= 0 ? "/" : trimmed.substring(0, slash);
  }

  private static RuntimeException corrupt(HostSession host, RestorePlan plan, String message) {
    host.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
    return RestoreTarget.refused(message + "; nothing on the target was changed");
  }

  /** Feeds etcd's snapshot digest with the bytes as they go to the host. */
  private static final class DigestingStream extends FilterInputStream {

    private final EtcdSnapshotDigest digest;
    private final java.util.function.LongConsumer progress;
    private long done;

    DigestingStream(InputStream in, EtcdSnapshotDigest digest, java.util.function.LongConsumer progress) {
      super(in);
      this.digest = digest;
      this.progress = progress;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        digest.update(buffer, offset, n);
        done += n;
        progress.accept(done);
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }
}
