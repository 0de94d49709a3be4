package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import dev.lifeboat.runbook.StepOutcomeException;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** The last step of a migration: source (live), snapshot and new target side by side. */
@Service
class EtcdMigrationService {

  static final String REFUSED = "MIGRATION_REFUSED";

  private final EtcdClusterInspector inspector;
  private final EtcdConnector connector;
  private final EtcdKeyReader reader;
  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;

  EtcdMigrationService(EtcdClusterInspector inspector, EtcdConnector connector, EtcdKeyReader reader,
      RemoteHosts hosts, BackupService backups, ObjectMapper json) {
    this.inspector = inspector;
    this.connector = connector;
    this.reader = reader;
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
  }

  /** The parameters of a migration as its first step reads them. */
  record MigrationParameters(String method, String targetEndpoints, String host, String credentialRef,
      String dataDir, String name, String peerUrl) {}

  /** Each method needs its own parameters; the declaration cannot say "required when", so this step does. */
  void checkParameters(MigrationParameters run, StepContext step) {
    String method = run.method() == null ? "snapshot" : run.method();
    List<String> missing = new ArrayList<>();
    switch (method) {
      case "snapshot" -> {
        Map<String, String> needed = new LinkedHashMap<>();
        needed.put("host", run.host());
        needed.put("credentialRef", run.credentialRef());
        needed.put("dataDir", run.dataDir());
        needed.put("name", run.name());
        needed.put("peerUrl", run.peerUrl());
        needed.forEach((name, value) -> {
          if (value == null || value.isBlank()) {
            missing.add(name);
          }
        });
        if (!missing.isEmpty()) {
          throw new StepOutcomeException(REFUSED, "method snapshot restores onto a member over SSH and needs "
              + String.join(", ", missing) + "; give them, or use method dump with targetEndpoints");
        }
        step.message("method snapshot: restore onto member " + run.name() + " on " + run.host());
      }
      case "dump" -> {
        if (run.targetEndpoints() == null || run.targetEndpoints().isBlank()) {
          throw new StepOutcomeException(REFUSED, "method dump loads the keys into a running cluster and needs"
              + " targetEndpoints");
        }
        step.message("method dump: load the keys into the cluster at " + run.targetEndpoints());
      }
      default -> throw new StepOutcomeException(REFUSED, "method '" + method + "' is unknown: give snapshot or dump");
    }
  }

  record DumpMigrationRun(String sourceEndpoints, String sourceCredentialRef, String backupId, String targetEndpoints,
      String targetCredentialRef) {}

  /** After a load: the live source, the dump and the target, by count and digest of keys and values. */
  Map<String, Object> compareDump(DumpMigrationRun run, StepContext step) throws IOException {
    Map<String, Object> dump = backups.get(run.backupId()).metadata();
    String prefix = java.util.Objects.toString(dump.get("prefix"), "");
    ClusterState source = inspector.inspect(run.sourceEndpoints(), run.sourceCredentialRef());
    ClusterState target = inspector.inspect(run.targetEndpoints(), run.targetCredentialRef());
    EtcdDump.Digest sourceNow = digest(source, run.sourceCredentialRef(), prefix);
    EtcdDump.Digest targetNow = digest(target, run.targetCredentialRef(), prefix);
    Object dumpDigest = dump.get("digests") instanceof Map<?, ?> digests ? digests.get(EtcdDump.V3) : null;
    long dumpKeys = ((Number) dump.get("keyCount")).longValue();
    boolean match = sourceNow.v3Count() == targetNow.v3Count() && sourceNow.v3().equals(targetNow.v3());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("sourceVersion", source.version());
    outputs.put("targetVersion", target.version());
    outputs.put("sourceKeyCount", sourceNow.v3Count());
    outputs.put("sourceRevision", source.revision());
    outputs.put("dumpKeyCount", dumpKeys);
    outputs.put("targetKeyCount", targetNow.v3Count());
    outputs.put("sourceDigest", sourceNow.v3());
    outputs.put("targetDigest", targetNow.v3());
    outputs.put("clustersMatch", match);
    boolean sourceMoved = !sourceNow.v3().equals(dumpDigest);
    step.message((match ? "source and target hold the same keys and values: " : "source and target differ: ")
        + "source (etcd " + source.version() + ") " + sourceNow.v3Count() + " keys, digest " + sourceNow.v3()
        + "; dump " + dumpKeys + " keys, digest " + dumpDigest + "; target (etcd " + target.version() + ") "
        + targetNow.v3Count() + " keys, digest " + targetNow.v3()
        + (sourceMoved ? "; the source changed after the dump (writes since then are not on the target)" : ""));
    return outputs;
  }

  private EtcdDump.Digest digest(ClusterState cluster, String credentialRef, String prefix) throws IOException {
    EtcdDump.Digest digest = new EtcdDump.Digest();
    try (Client client = connector.connect(List.of(cluster.snapshotEndpoint()), credentialRef)) {
      reader.readV3(client, cluster.snapshotEndpoint(), prefix, cluster.revision(), digest::add);
    }
    return digest;
  }

  record CopyRun(String runId, String host, String credentialRef, String dataDir, SnapshotOnHost.Copy snapshotCopy) {}

  /**
   * Removes the snapshot the snapshot step sent to the target host, when the run will not restore
   * it; only ever the run's own upload directory. Best effort: the run is ending anyway, so a host
   * that cannot be reached is reported, not retried.
   */
  void removeCopy(CopyRun run, StepContext step) {
    SnapshotOnHost.Copy copy = run.snapshotCopy();
    if (copy == null) {
      step.message("no snapshot was sent to the target host");
      return;
    }
    String dir = SnapshotOnHost.uploadDir(run.dataDir(), run.runId());
    if (!SnapshotOnHost.snapshotPath(dir).equals(copy.path())) {
      step.message(copy.path() + " is not this run's upload; left alone");
      return;
    }
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", dir)).orThrow(host.where());
      step.message("removed " + dir + " on " + host.where());
    } catch (RuntimeException e) {
      step.message("could not remove " + dir + " on " + run.host() + ": " + e.getMessage() + "; remove it by hand");
    }
  }

  record MigrationRun(String runId, String sourceEndpoints, String sourceCredentialRef, String backupId, String host,
      String credentialRef, String clientUrl) {}

  Map<String, Object> compare(MigrationRun run, StepContext step) {
    ClusterState source = inspector.inspect(run.sourceEndpoints(), run.sourceCredentialRef());
    SnapshotMetadata snapshot = json.convertValue(backups.get(run.backupId()).metadata(), SnapshotMetadata.class);
    EtcdHost.Status target;
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      target = new EtcdHost(host, run.clientUrl(), json).status();
    }
    boolean match = source.keyCount() == target.keyCount() && source.revision() == target.revision();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("sourceKeyCount", source.keyCount());
    outputs.put("sourceRevision", source.revision());
    outputs.put("snapshotKeyCount", snapshot.keyCount());
    outputs.put("snapshotRevision", snapshot.revision());
    outputs.put("targetKeyCount", target.keyCount());
    outputs.put("targetRevision", target.revision());
    outputs.put("clustersMatch", match);
    String moved = source.revision() > snapshot.revision()
        ? "; the source moved on to revision " + source.revision() + " after the snapshot (writes since then are not on the target)"
        : "";
    step.message((match ? "source and target match: " : "source and target differ: ") + "source " + source.keyCount()
        + " keys at revision " + source.revision() + ", snapshot " + snapshot.keyCount() + " at " + snapshot.revision()
        + ", target " + target.keyCount() + " at " + target.revision() + moved);
    return outputs;
  }
}
