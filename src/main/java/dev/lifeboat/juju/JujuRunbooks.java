package dev.lifeboat.juju;

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

/** The Juju runbooks (procedure 001: backing up and restoring Juju). */
@Configuration(proxyBeanMethods = false)
class JujuRunbooks {

  /** Where the juju client runs; every Juju runbook takes these. */
  static List<RunbookParameter> clientParameters() {
    return List.of(
        required("host", ParameterType.HOST, "The machine where the juju client runs, reached over SSH: host or host:port"),
        credential("credentialRef", CredentialKind.SSH, true, "Configured SSH credentials for that machine"),
        optional("jujuCommand", ParameterType.COMMAND, "juju",
            "How to run juju there, e.g. /snap/bin/juju (non-interactive SSH sessions often lack /snap/bin on PATH);"
                + " the client directory runbooks do not run juju"));
  }

  @Bean
  Runbook jujuControllerBackupRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>(clientParameters());
    parameters.add(optional("controller", ParameterType.STRING, null,
        "The environment (1.x: -e) or controller (2.9/3.x: -m <controller>:controller) to back up; default: the"
            + " client's current one"));
    parameters.add(optional("notes", ParameterType.STRING, null, "Notes kept with the backup (Juju's notes field)"));
    return new Runbook(
        "juju-controller-backup",
        "Juju controller backup",
        "Back up the Juju state server/controller with Juju's own command on the client machine (1.x 'juju backups"
            + " create', 2.9/3.x 'juju create-backup', found from 'juju version') into a private temporary file there,"
            + " copy it into the catalogue checking Juju's SHA-1 checksum, its size and Juju's archive layout, and keep"
            + " Juju's metadata. A mismatch fails the run with nothing catalogued; the host's file is always removed.",
        parameters,
        List.of("backupId", "checksum", "sha256", "size", "jujuVersion", "path"));
  }

  @Bean
  Runbook jujuHaRestoreRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>();
    parameters.add(backup("backupId", List.of(JujuArchive.KIND), "The catalogued Juju controller backup to restore"));
    parameters.addAll(clientParameters());
    parameters.add(optional("constraints", ParameterType.STRING, null,
        "Constraints for the re-bootstrapped state server, e.g. mem=4G (--constraints)"));
    parameters.add(optional("haCount", ParameterType.INTEGER, "3",
        "How many state servers with a vote HA is brought back to (ensure-availability -n): odd, 1 to 7"));
    parameters.add(optional("haTimeout", ParameterType.DURATION, "PT30M",
        "How long to wait for haCount members with a vote before the run fails naming each member's state"));
    parameters.add(optional("approvalTimeout", ParameterType.DURATION, "PT24H",
        "How long the approval may take before the run ends REJECTED as expired"));
    parameters.add(optional("reason", ParameterType.STRING, null, "Why this restore is needed; shown to the approver"));
    return new Runbook(
        "juju-ha-restore",
        "Juju HA restore",
        "Procedure 001's 'Restoring on HA', on the restore skeleton: only when every state server is lost (else it"
            + " refuses and advises ensure-availability), the catalogued backup is uploaded to the client machine and"
            + " its checksum verified there, a second person approves, then 'juju backups restore -b --file=...'"
            + " re-bootstraps the environment, 'juju ensure-availability -n N' recreates the replicas, and the run ends"
            + " COMPLETED only when N members have a vote; otherwise FAILED naming each member's state.",
        parameters,
        List.of("votingMembers", "members", "outcome", "outcomeDetail"));
  }

  @Bean
  Runbook jujuClientBackupRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>(clientParameters());
    parameters.add(optional("jujuDir", ParameterType.PATH, null,
        "The Juju client directory; default: $JUJU_DATA, else ~/.local/share/juju, else ~/.juju, whichever exists"));
    parameters.add(optional("excludes", ParameterType.STRING, null,
        "Comma-separated paths inside it to leave out, e.g. local,local2 (the local provider's environments)"));
    parameters.add(optional("sudo", ParameterType.BOOLEAN, "false",
        "Run tar with sudo -n (the local provider leaves files only root can read)"));
    parameters.add(optional("notes", ParameterType.STRING, null, "Notes kept with the backup"));
    return new Runbook(
        "juju-client-backup",
        "Juju client backup",
        "Back up the Juju client directory (procedure 001, 'The Juju client') as tar -cpzf does it, permissions kept"
            + " and excludes applied, streamed over SSH and encrypted to the configured age recipients on the way:"
            + " whoever holds it controls the environments. Refuses to run without recipients.",
        parameters,
        List.of("backupId", "sha256", "size", "fileCount", "path"));
  }

  @Bean
  Runbook jujuClientRestoreRunbook() {
    List<RunbookParameter> parameters = new ArrayList<>();
    parameters.add(backup("backupId", List.of(JujuClientBackupService.KIND), "The catalogued Juju client backup"));
    parameters.addAll(clientParameters());
    parameters.add(optional("jujuDir", ParameterType.PATH, null,
        "The Juju client directory to restore into; default: the one the backup was taken from"));
    parameters.add(optional("approvalTimeout", ParameterType.DURATION, "PT24H",
        "How long the approval may take before the run ends REJECTED as expired"));
    parameters.add(optional("reason", ParameterType.STRING, null, "Why this restore is needed; shown to the approver"));
    return new Runbook(
        "juju-client-restore",
        "Juju client restore",
        "Restore a Juju client directory from an encrypted juju-client-backup (procedure 001, 'Restoring ~/.juju') on"
            + " the restore skeleton: the approver sees which files are overwritten, added, unchanged and left alone;"
            + " the current directory is copied aside; the archive is extracted with its permissions; every file's"
            + " size, sha256 and mode is verified; any failure puts the saved directory back and verifies it.",
        parameters,
        List.of("restoredFiles", "savedDir", "outcome", "outcomeDetail"));
  }
}
