package dev.lifeboat.etcd;

import static dev.lifeboat.runbook.RunbookParameter.backup;
import static dev.lifeboat.runbook.RunbookParameter.credential;
import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;

import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The etcd runbooks, from the etcd charm's snapshot/restore actions (procedure 000). */
@Configuration(proxyBeanMethods = false)
class EtcdRunbooks {

  /**
   * An etcd-migration keeps its archive of the source at gzip level 1: the migration waits for the
   * compression, and on etcd data level 6 made the archive only 7 % smaller for 1.8× the CPU
   * (bench/etcd-migration.sh on 2 cores: 1.05× the manual steps at level 1, 1.18× at level 6).
   */
  static final String MIGRATION_GZIP_LEVEL = "1";

  @Bean
  Runbook etcdSnapshotRunbook(ArchiveProperties archives) {
    return new Runbook(
        "etcd-snapshot",
        "etcd snapshot",
        "Snapshot a running etcd cluster through its Maintenance API into a verified, catalogued archive"
            + " (snapshot.db + metadata.json, tar.gz). Like the etcd charm's snapshot action, it returns the"
            + " archive's path, sha256 and size. Restore it with 'etcdctl snapshot restore' or the etcd-restore runbook.",
        List.of(
            required("endpoints", ParameterType.ENDPOINTS,
                "Client URLs of the cluster, comma-separated, e.g. https://10.0.0.5:2379,https://10.0.0.6:2379"),
            credential("credentialRef", CredentialKind.ETCD_CLIENT, false,
                "Name of the configured credentials (TLS client certificate or user/password) for etcd; empty for none"),
            optional("notes", ParameterType.STRING, null, "Why this backup was taken; kept in the catalogue"),
            optional("gzipLevel", ParameterType.GZIP_LEVEL, Integer.toString(archives.gzipLevel()),
                "Compression of the archive: 1 (fastest) to 9 (smallest); default lifeboat.archive.gzip-level")),
        List.of("backupId", "sha256", "size", "path"));
  }

  @Bean
  Runbook etcdDumpRunbook() {
    return new Runbook(
        "etcd-dump",
        "etcd key dump",
        "A logical dump of an etcd cluster's keys (procedure 004's key dump, done portably): v3 keys paged at one"
            + " revision with values as bytes and leases as remaining TTLs, and the v2 key space (where Deis v1 and"
            + " fleet keep their state, hidden /_coreos.com included) when asked. Gzip-compressed JSON lines, readable"
            + " with zcat, catalogued with key counts per key space; etcd-load loads it into any etcd version.",
        List.of(
            required("endpoints", ParameterType.ENDPOINTS, "Client URLs of the cluster, comma-separated"),
            credential("credentialRef", CredentialKind.ETCD_CLIENT, false,
                "Configured etcd client credentials (TLS or user/password); empty for none"),
            optional("prefix", ParameterType.STRING, null,
                "Dump only keys starting with this (v2: this path); empty for everything"),
            optional("keySpaces", ParameterType.STRING, "v3", "v3, v2 or v2,v3 (v2 needs a cluster that serves"
                + " the v2 API: etcd up to 3.5, 3.4 and 3.5 only with --enable-v2=true)"),
            optional("hiddenRoots", ParameterType.STRING, null, "v2 hidden roots (names starting with _) to read"
                + " besides /_coreos.com, comma-separated, e.g. /_deis; a v2 listing never shows them"),
            optional("notes", ParameterType.STRING, null, "Why this dump was taken; kept in the catalogue")),
        List.of("backupId", "sha256", "size", "path", "keyCount", "revision"));
  }

  @Bean
  Runbook etcdLoadRunbook() {
    return new Runbook(
        "etcd-load",
        "etcd key load",
        "Load a catalogued etcd-dump into a running cluster of any etcd version, on the restore skeleton: checks (the"
            + " target answers, its version, which of its keys the dump would overwrite), the dump's checksum verified,"
            + " approval by a second person when the target holds keys under the prefix (none when it holds none),"
            + " the overwritten keys saved as an etcd-dump backup, the keys written in bounded transactions with leases"
            + " recreated, verified by count and digest; a failure after the first write puts the saved keys back.",
        List.of(
            backup("backupId", List.of(EtcdDump.KIND), "The catalogued etcd-dump to load"),
            required("endpoints", ParameterType.ENDPOINTS, "Client URLs of the target cluster, comma-separated"),
            credential("credentialRef", CredentialKind.ETCD_CLIENT, false,
                "Configured etcd client credentials (TLS or user/password) for the target; empty for none"),
            optional("prefix", ParameterType.STRING, null, "Load only the dump's keys under this prefix (v2: this"
                + " path); default: every key in the dump"),
            optional("approvalTimeout", ParameterType.DURATION, "PT24H",
                "How long the approval may take before the run ends REJECTED as expired"),
            optional("reason", ParameterType.STRING, null, "Why this load is needed; shown to the approver")),
        List.of("loadedKeyCount", "loadedDigest", "savedBackupId", "outcome", "outcomeDetail"));
  }

  /** Where and how the restored member runs: shared by etcd-restore and etcd-migration. */
  static List<RunbookParameter> restoreTargetParameters() {
    return List.of(
        required("host", ParameterType.HOST, "The etcd member's host, reached over SSH: host or host:port"),
        credential("credentialRef", CredentialKind.SSH, true,
            "Configured SSH credentials (username and private-key-file) for the host"),
        required("dataDir", ParameterType.PATH, "The member's data directory on the host (--data-dir), e.g. /var/lib/etcd"),
        required("name", ParameterType.STRING, "The member's name (--name)"),
        optional("clientUrl", ParameterType.ENDPOINTS, "http://127.0.0.1:2379",
            "The member's client URL as seen from its host"),
        required("peerUrl", ParameterType.ENDPOINTS, "The member's peer URL (--initial-advertise-peer-urls)"),
        optional("stopCommand", ParameterType.COMMAND, "systemctl stop etcd",
            "How the host stops etcd (run with sh -c after the approval, and again by a rollback)"),
        optional("startCommand", ParameterType.COMMAND, "systemctl start etcd",
            "How the host starts etcd (run with sh -c after the approval, and again by a rollback)"),
        optional("target", ParameterType.PATH, null,
            "Where the existing data is moved before the restore; default: next to dataDir with a timestamp"),
        optional("skipBackup", ParameterType.BOOLEAN, "false",
            "Do not keep the existing data (it is deleted, and a failed restore cannot be rolled back)"),
        optional("allowVersionSkew", ParameterType.BOOLEAN, "false",
            "Restore even when the target's etcd is older than the snapshot's or more than one minor version newer"),
        optional("approvalTimeout", ParameterType.DURATION, "PT24H",
            "How long the approval may take before the run ends REJECTED as expired"),
        optional("reason", ParameterType.STRING, null, "Why this restore is needed; shown to the approver"));
  }

  @Bean
  Runbook etcdRestoreRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>();
    parameters.add(backup("backupId", List.of(SnapshotMetadata.KIND), "The catalogued etcd snapshot to restore"));
    parameters.addAll(restoreTargetParameters());
    return new Runbook(
        "etcd-restore",
        "etcd restore",
        "Restore a catalogued etcd snapshot onto the single member of a cluster on a host, like the etcd charm's"
            + " restore action, on the restore skeleton: checks (single member, tools, versions, disk), upload with the"
            + " checksum verified on the host, approval by a second person (none when the member holds no data),"
            + " stop, existing data saved aside, restore with a new cluster token, start, verify key count and"
            + " revision; rolls back to the saved data and verifies it if anything fails after the stop.",
        parameters,
        List.of("restoredKeyCount", "restoredRevision", "savedDataDir", "outcome", "outcomeDetail"));
  }

  @Bean
  Runbook etcdMigrationRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>();
    parameters.add(required("sourceEndpoints", ParameterType.ENDPOINTS, "Client URLs of the cluster to migrate from"));
    parameters.add(credential("sourceCredentialRef", CredentialKind.ETCD_CLIENT, false,
        "Configured etcd client credentials (TLS or user/password) for the source; empty for none"));
    parameters.add(optional("method", ParameterType.STRING, "snapshot", "snapshot: restore a binary snapshot on a new"
        + " member over SSH (same or next minor etcd version); dump: copy the keys into a running target cluster"
        + " through the API (any etcd version)"));
    parameters.add(optional("targetEndpoints", ParameterType.ENDPOINTS, null,
        "method dump: client URLs of the target cluster"));
    parameters.add(credential("targetCredentialRef", CredentialKind.ETCD_CLIENT, false,
        "method dump: etcd client credentials for the target; empty for none"));
    parameters.add(optional("gzipLevel", ParameterType.GZIP_LEVEL, MIGRATION_GZIP_LEVEL, "method snapshot: compression of"
        + " the archive kept of the source, 1 (fastest) to 9 (smallest); 1 here, because the migration waits for it"));
    Set<String> onlyForSnapshot = Set.of("host", "credentialRef", "dataDir", "name", "peerUrl");
    for (RunbookParameter parameter : restoreTargetParameters()) {
      parameters.add(onlyForSnapshot.contains(parameter.name())
          ? new RunbookParameter(parameter.name(), parameter.type(), false, parameter.defaultValue(),
              "method snapshot (required there): " + parameter.description(), parameter.kinds())
          : parameter);
    }
    return new Runbook(
        "etcd-migration",
        "etcd migration",
        "Migrate a live etcd cluster (the etcd charm's 'Migrating etcd', procedure 002's 'migrating to a new"
            + " version'). method=snapshot: snapshot the source (etcd-snapshot), restore it on a new single-member"
            + " cluster (etcd-restore, with its checks and approval), compare key counts and revisions. method=dump:"
            + " dump the source's keys (etcd-dump), load them into the target cluster, which may run another etcd"
            + " version (etcd-load, with its checks and approval), compare key counts and digests.",
        parameters,
        List.of("backupId", "sha256", "restoredKeyCount", "restoredRevision", "savedDataDir", "sourceKeyCount",
            "sourceRevision", "snapshotKeyCount", "snapshotRevision", "targetKeyCount", "targetRevision",
            "clustersMatch", "outcome", "outcomeDetail", "loadedKeyCount", "savedBackupId", "dumpKeyCount",
            "sourceDigest", "targetDigest", "sourceVersion", "targetVersion"));
  }

}
