package dev.lifeboat.deis;

import static dev.lifeboat.runbook.RunbookParameter.backup;
import static dev.lifeboat.runbook.RunbookParameter.credential;
import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;

import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookParameter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Deis store runbooks (procedure 003). */
@Configuration(proxyBeanMethods = false)
class DeisStoreRunbooks {

  /** The cluster machine and the gateway: shared by backup and restore. */
  static List<RunbookParameter> clusterParameters() {
    return List.of(
        required("host", ParameterType.HOST, "A cluster machine where deisctl and docker run, reached over SSH"),
        credential("credentialRef", CredentialKind.SSH, true, "Configured SSH credentials for the host"),
        required("gatewayEndpoint", ParameterType.STRING,
            "The store gateway's S3 URL, e.g. http://deis-store.example.com"),
        credential("gatewayCredentialRef", CredentialKind.S3, false,
            "Configured s3 credentials for the gateway; empty: read the keys with 'deisctl config store get"
                + " gateway/accessKey' and '.../secretKey' on the host (held in memory only)"),
        optional("deisctlCommand", ParameterType.COMMAND, "deisctl", "How deisctl is run on the host"),
        optional("dockerCommand", ParameterType.COMMAND, "docker", "How docker is run on the host"),
        optional("storeVolumePath", ParameterType.PATH, "/var/lib/deis/store", "The store volume on the host"));
  }

  @Bean
  Runbook deisStoreBackupRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>(clusterParameters());
    parameters.add(optional("buckets", ParameterType.STRING, "db_wal,registry", "The gateway's buckets, comma-separated"));
    parameters.add(optional("databaseContainer", ParameterType.STRING, "deis-database",
        "The container pg_dumpall runs in (docker exec ... sudo -u postgres pg_dumpall)"));
    parameters.add(optional("notes", ParameterType.STRING, null, "Why this backup was taken; kept in the catalogue"));
    return new Runbook(
        "deis-store-backup",
        "Deis store backup",
        "Back up a Deis v1 platform's state as one set (procedure 003): every object of the store gateway's buckets"
            + " through the S3 API (objects held from the last backup with the same key, size and ETag are not"
            + " downloaded again), the store volume as 'tar cpzf - .' over SSH, and 'pg_dumpall' of the database,"
            + " with a manifest of every object and file.",
        parameters,
        List.of("backupId", "sha256", "size", "objectCount", "objectBytes"));
  }

  @Bean
  Runbook deisStoreRestoreRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>();
    parameters.add(backup("backupId", List.of(DeisStoreManifest.KIND), "The catalogued Deis store backup set to restore"));
    parameters.addAll(clusterParameters());
    parameters.add(optional("routerBodySize", ParameterType.STRING, "100m",
        "The router's maximum body size for the upload (deisctl config router set bodySize=...)"));
    parameters.add(optional("rescaleApps", ParameterType.BOOLEAN, "false",
        "Scale every app to 0 and back through the controller after the restore; otherwise only list them"));
    parameters.add(optional("approvalTimeout", ParameterType.DURATION, "PT24H",
        "How long the approval may take before the run ends REJECTED as expired"));
    parameters.add(optional("reason", ParameterType.STRING, null, "Why this restore is needed; shown to the approver"));
    return new Runbook(
        "deis-store-restore",
        "Deis store restore",
        "Restore a Deis store backup set onto a new cluster (procedure 003), on the restore skeleton: checks (manifest"
            + " complete, platform not started, space for the volume), every stored part re-read against its sha256,"
            + " deisctl install platform, the store components started one by one and confirmed running with deisctl"
            + " list, router@1 with a larger body size, the new gateway keys, buckets absent or empty; after a second"
            + " person approves: buckets created, every object uploaded and verified, the store volume extracted with"
            + " its owners, deisctl start platform, the controller's re-save of keys, apps and domains, and the apps to"
            + " rescale (or the rescale).",
        parameters,
        List.of("objectCount", "fileCount", "appsToRescale", "outcome", "outcomeDetail"));
  }
}
