package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.archive.UnsafeArchiveException;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostKeyRejectedException;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import dev.lifeboat.runbook.StepOutcomeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Restores a catalogued etcd snapshot onto a single-member cluster on a host, as the etcd charm's
 * restore action does: check, upload and verify, (approval), stop, save the data aside, restore
 * with a new cluster token, start, verify; or roll back to the saved data.
 */
@Service
class EtcdRestoreService {

  static final String PRECONDITION_FAILED = "PRECONDITION_FAILED";
  static final String SNAPSHOT_CORRUPT = "SNAPSHOT_CORRUPT";

  static final String SCALED_CLUSTER_WARNING = "Restoring from a snapshot on a scaled cluster will result in a broken"
      + " cluster (etcd charm): during the restore a new cluster ID is initialised and peers are dropped."
      + " Restore onto a new single-member cluster, then scale it up";
  static final String PKI_WARNING = "Loss of PKI (etcd charm): TLS certificates are not part of the snapshot;"
      + " they stay with the units that requested them";

  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdRestoreService(RemoteHosts hosts, BackupService backups, ObjectMapper json, Clock clock) {
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
    this.clock = clock;
  }

  /** Everything that can be checked before anyone is asked; the plan and the evidence for the approver. */
  Map<String, Object> checkTarget(RestoreRun run, StepContext step) throws InterruptedException {
    Backup backup = backupOf(run.backupId());
    SnapshotMetadata snapshot = snapshotOf(backup);
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
      EtcdHost.Status status;
      try {
        status = etcd.status();
      } catch (EtcdException e) {
        throw precondition("the target member does not answer: " + e.getMessage()
            + ". The restore checks the running cluster before it stops it; start it, or correct clientUrl");
      }
      if (status.members().size() != 1) {
        throw precondition("the target cluster at " + run.clientUrl() + " has " + status.members().size()
            + " members " + status.members() + "; a restore is only allowed onto a single-member cluster. "
            + SCALED_CLUSTER_WARNING);
      }
      if (!host.run(Command.of("test", "-d", run.dataDir())).succeeded()) {
        throw precondition("dataDir " + run.dataDir() + " is not a directory on " + host.where()
            + "; name the data directory the member runs with (--data-dir)");
      }
      String saved = run.target() != null && !run.target().isBlank() ? run.target()
          : run.dataDir() + ".lifeboat-" + STAMP.format(clock.instant());
      if (!run.skipsBackup() && host.run(Command.of("test", "-e", saved)).succeeded()) {
        throw precondition("target " + saved + " already exists on " + host.where()
            + "; the existing data is saved there, so name a path that does not exist yet");
      }
      String parent = parentOf(run.dataDir());
      long free = freeBytes(host, parent);
      long needed = 2 * snapshot.snapshot().size();
      if (free < needed) {
        throw precondition(parent + " on " + host.where() + " has " + free / (1 << 20) + " MiB free; the restore"
            + " needs " + needed / (1 << 20) + " MiB (the uploaded snapshot and the restored database)");
      }
      String uploadDir = parent + "/.lifeboat-restore-" + run.runId();
      RestorePlan plan = new RestorePlan(restoreTool, etcdVersion, saved, uploadDir, uploadDir + "/snapshot.db",
          snapshot.snapshot().size(), snapshot.snapshot().sha256(), snapshot.revision(), snapshot.revisionExact(),
          snapshot.keyCount(), status.revision(), status.keyCount());
      step.message("single member " + status.members() + " with " + status.keyCount() + " keys at revision "
          + status.revision() + "; etcd " + etcdVersion + ", etcdctl " + etcdctlVersion + ", restores with "
          + restoreTool + "; " + free / (1 << 20) + " MiB free");
      return Map.of("restorePlan", plan, "evidence", evidence(run, plan, backup, snapshot, status, host.where()));
    }
  }

  /**
   * Streams snapshot.db out of the stored archive to the host while checking the archive against
   * its catalogued sha256 and the snapshot against etcd's own hash, then has the host hash its copy.
   */
  Map<String, Object> uploadSnapshot(RestoreRun run, Map<String, Object> evidence, StepContext step) throws IOException {
    Backup backup = backupOf(run.backupId());
    RestorePlan plan = run.restorePlan();
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      MessageDigest archiveDigest = Sha256.newDigest();
      EtcdSnapshotDigest snapshotDigest = null;
      try (DigestInputStream archive = new DigestInputStream(backups.content(backup.id(), "lifeboat"), archiveDigest);
          ArchiveReader reader = new ArchiveReader(archive)) {
        for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
          if (SnapshotMetadata.SNAPSHOT_ENTRY.equals(entry.name())) {
            if (entry.size() != plan.snapshotSize()) {
              throw corrupt(host, plan, "snapshot.db in archive " + backup.id() + " has " + entry.size()
                  + " bytes, the catalogue says " + plan.snapshotSize());
            }
            EtcdSnapshotDigest digest = new EtcdSnapshotDigest(entry.size());
            snapshotDigest = digest;
            host.upload(new DigestingStream(entry.content(), digest), entry.size(), plan.snapshotPath(),
                done -> step.progress(done, plan.snapshotSize(), "bytes"));
          } else {
            entry.content().transferTo(OutputStream.nullOutputStream());
          }
        }
        archive.transferTo(OutputStream.nullOutputStream());
      } catch (UnsafeArchiveException | IOException e) {
        throw corrupt(host, plan, "archive " + backup.id() + " cannot be read (" + e.getMessage()
            + "): the stored copy is damaged");
      }
      String archiveSha = HexFormat.of().formatHex(archiveDigest.digest());
      if (!archiveSha.equals(backup.sha256())) {
        throw corrupt(host, plan, "archive " + backup.id() + " hashes to " + archiveSha + " but was catalogued with "
            + backup.sha256() + ": the stored copy is damaged or was replaced");
      }
      if (snapshotDigest == null) {
        throw corrupt(host, plan, "archive " + backup.id() + " holds no snapshot.db");
      }
      EtcdSnapshotDigest.Result result = snapshotDigest.finish();
      if (result.hasHash() && !result.valid()) {
        throw corrupt(host, plan, "snapshot.db in " + backup.id() + " fails etcd's own integrity hash");
      }
      String onHost = host.sha256(plan.snapshotPath());
      if (!onHost.equals(plan.snapshotSha256())) {
        throw corrupt(host, plan, "the copy on " + host.where() + " hashes to " + onHost + ", expected "
            + plan.snapshotSha256() + ": the transfer was damaged");
      }
      step.message("archive sha256 " + archiveSha + " matches the catalogue; snapshot.db uploaded to "
          + plan.snapshotPath() + " and its sha256 " + onHost + " confirmed by sha256sum on the host");
      Map<String, Object> updated = new LinkedHashMap<>(evidence);
      updated.put("snapshotVerifiedOnHost", "sha256sum on " + host.where() + " printed " + onHost
          + ", as recorded in the snapshot's metadata");
      return Map.of("evidence", updated);
    }
  }

  void stopMember(RestoreRun run, StepContext step) throws InterruptedException {
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      CommandResult result = host.run(Command.shell(run.stopCommand()), STOP_TIMEOUT, step::output);
      result.orThrow(host.where());
      if (!new EtcdHost(host, run.clientUrl(), json).awaitDown(STOP_TIMEOUT)) {
        throw new EtcdException("etcd still answers at " + run.clientUrl() + " " + STOP_TIMEOUT.toSeconds()
            + " s after '" + run.stopCommand() + "'; check stopCommand");
      }
      step.message("'" + run.stopCommand() + "' ran; nothing answers at " + run.clientUrl() + " any more");
    }
  }

  void saveExistingData(RestoreRun run, StepContext step) {
    RestorePlan plan = run.restorePlan();
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
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

  void restoreSnapshot(RestoreRun run, StepContext step) {
    RestorePlan plan = run.restorePlan();
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      String onHost = host.sha256(plan.snapshotPath());
      if (!onHost.equals(plan.snapshotSha256())) {
        throw new EtcdException("the uploaded snapshot on " + host.where() + " changed since it was verified (sha256 "
            + onHost + ", expected " + plan.snapshotSha256() + "); not restoring it");
      }
      Command restore = Command.of("env", "ETCDCTL_API=3", plan.restoreTool(), "snapshot", "restore",
          plan.snapshotPath(),
          "--data-dir", run.dataDir(),
          "--name", run.name(),
          "--initial-cluster", run.name() + "=" + run.peerUrl(),
          "--initial-cluster-token", run.clusterToken(),
          "--initial-advertise-peer-urls", run.peerUrl());
      host.run(restore, Duration.ofHours(2), step::output).orThrow(host.where());
      step.message("sha256 re-checked; restored into " + run.dataDir() + " as member " + run.name() + " ("
          + run.peerUrl() + ") with cluster token " + run.clusterToken());
    }
  }

  void startMember(RestoreRun run, StepContext step) throws InterruptedException {
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      host.run(Command.shell(run.startCommand()), START_TIMEOUT, step::output).orThrow(host.where());
      if (!new EtcdHost(host, run.clientUrl(), json).awaitHealthy(START_TIMEOUT)) {
        throw new EtcdException("etcd did not become healthy at " + run.clientUrl() + " within "
            + START_TIMEOUT.toSeconds() + " s of '" + run.startCommand() + "'");
      }
      step.message("'" + run.startCommand() + "' ran; etcd is healthy at " + run.clientUrl());
    }
  }

  /** The restored member must be alone and hold what the snapshot holds. */
  Map<String, Object> verifyRestore(RestoreRun run, StepContext step) {
    RestorePlan plan = run.restorePlan();
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
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
          "savedDataDir", run.skipsBackup() ? "" : plan.savedDataDir());
    }
  }

  void removeUpload(RestoreRun run, StepContext step) {
    RestorePlan plan = run.restorePlan();
    if (plan == null) {
      return;
    }
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", plan.uploadDir())).orThrow(host.where());
      step.message("removed " + plan.uploadDir() + " on " + host.where());
    }
  }

  /**
   * After a failure past the stop: puts the saved data back, starts the member and checks that it
   * holds what it held before. Never throws: the message says exactly what state the target is in.
   */
  String rollBack(RestoreRun run, StepContext step) {
    RestorePlan plan = run.restorePlan();
    String cause = run.failure() == null ? "a step after the stop failed" : run.failure();
    String stage = "connecting to " + run.host();
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
      EtcdHost etcd = new EtcdHost(host, run.clientUrl(), json);
      boolean saved = !run.skipsBackup() && host.run(Command.of("test", "-d", plan.savedDataDir())).succeeded();
      if (saved) {
        stage = "stopping etcd";
        step.message("rolling back: stopping etcd");
        host.run(Command.shell(run.stopCommand()), STOP_TIMEOUT, step::output);
        if (!etcd.awaitDown(STOP_TIMEOUT)) {
          return cause + ". Rollback stopped: etcd still answers at " + run.clientUrl() + " after '"
              + run.stopCommand() + "', so the saved data was not moved back. State: the previous data is in "
              + plan.savedDataDir() + ", " + run.dataDir() + " holds the restore attempt";
        }
        stage = "moving " + plan.savedDataDir() + " back to " + run.dataDir();
        host.run(Command.of("rm", "-rf", "--", run.dataDir())).orThrow(host.where());
        host.run(Command.of("mv", "--", plan.savedDataDir(), run.dataDir())).orThrow(host.where());
      } else if (!host.run(Command.of("test", "-d", run.dataDir())).succeeded()) {
        return cause + ". Nothing to roll back to: the existing data was "
            + (run.skipsBackup() ? "removed without a copy (skipBackup)" : "not found in " + plan.savedDataDir())
            + " and " + run.dataDir() + " does not exist; etcd is stopped. Restore a snapshot to bring it back";
      }
      stage = "starting etcd";
      if (!etcd.healthy()) {
        host.run(Command.shell(run.startCommand()), START_TIMEOUT, step::output).orThrow(host.where());
        if (!etcd.awaitHealthy(START_TIMEOUT)) {
          return cause + ". Rollback incomplete: the previous data is back in " + run.dataDir()
              + " but etcd did not become healthy at " + run.clientUrl() + " after '" + run.startCommand() + "'";
        }
      }
      stage = "verifying the previous state";
      EtcdHost.Status status = etcd.status();
      boolean same = status.keyCount() == plan.targetKeyCount() && status.revision() == plan.targetRevision();
      host.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
      String outcome = same
          ? "the target was rolled back to its previous data and verified (" + status.summary() + ", as before)"
          : "the target was rolled back and runs, but holds " + status.summary() + " where it held "
              + plan.targetKeyCount() + " keys at revision " + plan.targetRevision() + " before; check it";
      step.message(outcome);
      return cause + ". " + outcome;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return cause + ". Rollback failed while " + stage + ": " + e.getMessage() + ". State: the previous data is in "
          + (run.skipsBackup() ? "no copy (skipBackup)" : plan.savedDataDir() + " or already back in " + run.dataDir())
          + "; check etcd on " + run.host() + " by hand";
    }
  }

  private Map<String, Object> evidence(RestoreRun run, RestorePlan plan, Backup backup, SnapshotMetadata snapshot,
      EtcdHost.Status status, String where) {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("host", where);
    target.put("clientUrl", run.clientUrl());
    target.put("dataDir", run.dataDir());
    target.put("memberName", run.name());
    target.put("members", status.members());
    target.put("memberCount", status.members().size());
    target.put("revision", status.revision());
    target.put("keyCount", status.keyCount());
    target.put("etcdVersion", plan.etcdVersion());
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("backupId", run.backupId());
    replacement.put("archiveSha256", backup.sha256());
    replacement.put("snapshotSha256", snapshot.snapshot().sha256());
    replacement.put("revision", snapshot.revision());
    replacement.put("keyCount", snapshot.keyCount());
    replacement.put("size", snapshot.snapshot().size());
    replacement.put("takenAt", snapshot.finishedAt());
    replacement.put("sourceCluster", snapshot.clusterId());
    replacement.put("sourceEndpoints", snapshot.endpoints());
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("summary", "Replace the data of etcd member '" + run.name() + "' on " + where + " ("
        + status.keyCount() + " keys at revision " + status.revision() + ") with snapshot " + run.backupId() + " ("
        + snapshot.keyCount() + " keys at revision " + snapshot.revision() + ")");
    evidence.put("target", target);
    evidence.put("snapshot", replacement);
    evidence.put("snapshotTakenAt", snapshot.finishedAt() == null ? null : snapshot.finishedAt().toString());
    evidence.put("existingData", run.skipsBackup() ? "DELETED without a copy (skipBackup=true)"
        : "moved to " + plan.savedDataDir());
    evidence.put("requestedBy", run.initiator());
    evidence.put("reason", run.reason());
    evidence.put("warnings", List.of(PKI_WARNING));
    return evidence;
  }

  /** A refused host key is a finding of the checks, not a fault to retry. */
  private HostSession connectForChecks(RestoreRun run) {
    try {
      return hosts.connect(run.host(), run.credentialRef());
    } catch (HostKeyRejectedException e) {
      throw precondition(e.getMessage());
    }
  }

  private SnapshotMetadata snapshotOf(Backup backup) {
    if (!SnapshotMetadata.KIND.equals(backup.kind())) {
      throw precondition("backup " + backup.id() + " is a " + backup.kind() + ", not an etcd snapshot");
    }
    return json.convertValue(backup.metadata(), SnapshotMetadata.class);
  }

  private Backup backupOf(String backupId) {
    try {
      return backups.get(backupId);
    } catch (BackupNotFoundException e) {
      throw precondition(e.getMessage());
    }
  }

  private static String requireTool(EtcdHost etcd, String tool, HostSession host) {
    String version = etcd.toolVersion(tool);
    if (version == null) {
      throw precondition(tool + " is not installed on " + host.where() + " (not found on its PATH); the restore runs it there");
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

  private static StepOutcomeException precondition(String message) {
    return new StepOutcomeException(PRECONDITION_FAILED, message);
  }

  private static StepOutcomeException corrupt(HostSession host, RestorePlan plan, String message) {
    host.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
    return new StepOutcomeException(SNAPSHOT_CORRUPT, message + "; nothing on the target was changed");
  }

  /** Feeds etcd's snapshot digest with the bytes as they go to the host. */
  private static final class DigestingStream extends FilterInputStream {

    private final EtcdSnapshotDigest digest;

    DigestingStream(InputStream in, EtcdSnapshotDigest digest) {
      super(in);
      this.digest = digest;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        digest.update(buffer, offset, n);
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
