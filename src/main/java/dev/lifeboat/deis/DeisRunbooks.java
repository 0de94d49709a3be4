package dev.lifeboat.deis;

import static dev.lifeboat.runbook.RunbookParameter.backup;
import static dev.lifeboat.runbook.RunbookParameter.credential;
import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;

import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Deis v1 data-container runbooks (procedure 004: docker export / docker import). */
@Configuration(proxyBeanMethods = false)
class DeisRunbooks {

  private static final String DOCKER_HELP = "How to run docker on the host, e.g. 'sudo docker' or /usr/bin/docker"
      + " (non-interactive SSH sessions may lack it on PATH)";

  @Bean
  Runbook deisDataContainersBackupRunbook() {
    return new Runbook(
        "deis-data-containers-backup",
        "Deis data containers backup",
        "Export the Deis v1 data containers (builder, logger, registry) with 'docker export' over SSH into one"
            + " verified, catalogued archive: one tar per container, as docker wrote it, with its size and sha256.",
        List.of(
            required("host", ParameterType.HOST, "The host that runs the data containers, reached over SSH"),
            credential("credentialRef", CredentialKind.SSH, true, "Configured SSH credentials for the host"),
            optional("dockerCommand", ParameterType.STRING, "docker", DOCKER_HELP),
            optional("containers", ParameterType.STRING, ContainerArchive.DEFAULT_CONTAINERS,
                "The data containers to export, comma-separated"),
            optional("notes", ParameterType.STRING, null, "Why this backup was taken; kept in the catalogue")),
        List.of("backupId", "sha256", "size", "path"));
  }

  @Bean
  Runbook deisDataContainersRestoreRunbook() {
    return new Runbook(
        "deis-data-containers-restore",
        "Deis data containers restore",
        "Import catalogued Deis data containers on a host with 'docker import - <name>' fed from the archive, on"
            + " the restore skeleton: checks (docker answers, the archive's parts verify), approval by a second"
            + " person when an image would be replaced, the previous image kept under a dated tag, each image"
            + " verified; a failure points the names back at their previous images.",
        List.of(
            backup("backupId", List.of(ContainerArchive.KIND), "The catalogued data-container archive"),
            required("host", ParameterType.HOST, "The host to import the images on, reached over SSH"),
            credential("credentialRef", CredentialKind.SSH, true, "Configured SSH credentials for the host"),
            optional("dockerCommand", ParameterType.STRING, "docker", DOCKER_HELP),
            optional("containers", ParameterType.STRING, null, "Which containers of the backup, comma-separated;"
                + " default: all in the backup"),
            optional("approvalTimeout", ParameterType.DURATION, "PT24H",
                "How long the approval may take before the run ends REJECTED as expired"),
            optional("reason", ParameterType.STRING, null, "Why this restore is needed; shown to the approver")),
        List.of("importedImages", "restoredContainers", "outcome", "outcomeDetail"));
  }
}
