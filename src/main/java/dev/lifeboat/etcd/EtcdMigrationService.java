package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/** The last step of a migration: source (live), snapshot and new target side by side. */
@Service
class EtcdMigrationService {

  private final EtcdClusterInspector inspector;
  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;

  EtcdMigrationService(EtcdClusterInspector inspector, RemoteHosts hosts, BackupService backups, ObjectMapper json) {
    this.inspector = inspector;
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
  }

  record MigrationRun(String sourceEndpoints, String sourceCredentialRef, String backupId, String host,
      String credentialRef, String clientUrl) {}

  Map<String, Object> compare(MigrationRun run, StepContext step) {
    ClusterState source = inspector.inspect(run.sourceEndpoints(), run.sourceCredentialRef());
    SnapshotMetadata snapshot = json.convertValue(backups.get(run.backupId()).metadata(), SnapshotMetadata.class);
    EtcdHost.Status target;
    try (HostSession host = hosts.connect(run.host(), run.credentialRef())) {
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
