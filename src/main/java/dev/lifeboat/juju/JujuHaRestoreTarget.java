package dev.lifeboat.juju;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostKeyRejectedException;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.OutputListener;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.restore.RestoreTarget;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Juju's part of the restore skeleton: procedure 001's "Restoring on HA". Only when every state
 * server is lost: the backup is re-bootstrapped from a file ({@code juju backups restore -b}),
 * then {@code ensure-availability -n N} recreates the replicas, and the restore is done only when
 * N members have a vote. There is nothing to save aside (no state server is left), and a
 * re-bootstrapped state server is never destroyed by Lifeboat: a failure after the approval ends
 * NOT_ROLLED_BACK, naming the state of every member.
 */
@Component
class JujuHaRestoreTarget implements RestoreTarget<HaRestoreRun, HaRestorePlan> {

  static final String OVERWRITE_WARNING = "If your Juju environment still contains existing state servers, restoring"
      + " a backup will overwrite their data or remove them (procedure 001, 'Restoring on HA')";
  static final String REMAINING_ADVICE = "As long as one of the original state servers remains, the others can be"
      + " replaced by simply running 'juju ensure-availability' again; a restore is only for when all of them are lost";
  private static final Duration STATUS_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RESTORE_TIMEOUT = Duration.ofHours(2);
  private static final Duration DEFAULT_HA_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration MAX_HA_TIMEOUT = Duration.ofHours(5);

  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;
  private final Clock clock;

  JujuHaRestoreTarget(RemoteHosts hosts, BackupService backups, ObjectMapper json, Clock clock) {
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return "juju";
  }

  @Override
  public Checked<HaRestorePlan> check(HaRestoreRun run, StepContext step) throws Exception {
    int n = run.members();
    if (n < 1 || n > 7 || n % 2 == 0) {
      throw RestoreTarget.refused("haCount must be odd, from 1 to 7 (Juju's rule for state servers), not " + n);
    }
    Duration haTimeout = haTimeout(run);
    Backup backup = backupOf(run.backupId());
    Map<String, Object> meta = backup.metadata() == null ? Map.of() : backup.metadata();
    try (HostSession host = connectForChecks(run)) {
      JujuCli juju = new JujuCli(host, run.jujuCommand());
      JujuCli.Version version;
      JujuCli.Generation generation;
      try {
        version = juju.version();
        generation = version.generation();
      } catch (JujuException e) {
        throw RestoreTarget.refused(e.getMessage());
      }
      if (generation != JujuCli.Generation.JUJU_1) {
        return checkController(run, juju, version, backup, meta, host, step);
      }
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("clientHost", host.where());
      target.put("jujuClient", version.text() + " (" + generation.label + ")");
      CommandResult status = juju.attempt(STATUS_TIMEOUT, OutputListener.NONE, "status", "--format=json");
      String environment;
      if (!status.succeeded() || !JujuCli.errors(status).isEmpty()) {
        String errors = String.join("; ", JujuCli.errors(status));
        if (!errors.toLowerCase(Locale.ROOT).contains("connect") && !errors.contains("not bootstrapped")) {
          throw RestoreTarget.refused("'juju status' failed in a way that does not say the state servers are lost ("
              + (errors.isEmpty() ? status.tail() : errors) + "); find out what is wrong before restoring");
        }
        environment = "unreachable: " + errors;
      } else {
        ControllerMembers members = ControllerMembers.parse(status.stdout(), json);
        if (!members.withVote().isEmpty()) {
          throw RestoreTarget.refused("state servers remain: " + members.withVote().stream()
              .map(ControllerMembers.Member::describe).toList() + ". " + REMAINING_ADVICE + ": run '"
              + juju.describe("ensure-availability", "-n", String.valueOf(n)) + "' instead");
        }
        environment = "reachable, no state server started with a vote: " + members.describe();
      }
      target.put("environment", environment);
      target.put("stateServersWithVote", 0);
      HaRestorePlan plan = plan(host, generation, version, backup, meta, null);
      List<String> warnings = List.of(OVERWRITE_WARNING,
          "The restore re-bootstraps one new state server from the backup (-b); Juju's only check is that the initial"
              + " state server is not up",
          "Then 'ensure-availability -n " + n + "' creates the other state servers from the restored one; the run"
              + " waits up to " + haTimeout + " for " + n + " members with a vote",
          "A re-bootstrapped state server is not removed again if a later step fails: the run then says which members"
              + " vote and which do not");
      step.message("every state server is lost (" + environment + "); backup " + backup.id() + " of Juju "
          + plan.backupJujuVersion() + " will be restored from " + plan.uploadFile());
      return new Checked<>(plan, "re-bootstrap the Juju environment from backup " + backup.id() + " and bring HA"
          + " back to " + n + " voting state servers", target, replacement(run, backup, meta, plan),
          Map.of("stateServersWithVote", 0), warnings,
          "(nothing to save: no state server is left; the catalogued backup is the copy)",
          commands(juju, run, plan, host.where()), null);
    }
  }

  /**
   * 2.9/3.x: juju-restore restores into the running controller it is run on (the MongoDB primary).
   * Its own checks are made here first, in its words, so a refusal comes before anyone is asked;
   * it makes them again itself after the approval, and its refusals are shown as they are.
   */
  private Checked<HaRestorePlan> checkController(HaRestoreRun run, JujuCli juju, JujuCli.Version version,
      Backup backup, Map<String, Object> meta, HostSession host, StepContext step) throws IOException {
    CommandResult shown = juju.attempt(STATUS_TIMEOUT, OutputListener.NONE, "show-controller", "--format", "json");
    if (!shown.succeeded() || !JujuCli.errors(shown).isEmpty()) {
      throw RestoreTarget.refused("juju-restore restores into the running controller, which 'juju show-controller'"
          + " cannot reach: " + (JujuCli.errors(shown).isEmpty() ? shown.tail() : String.join("; ", JujuCli.errors(shown)))
          + ". Juju " + version.number() + " cannot re-bootstrap from a backup (juju-restore is not a disaster-recovery"
          + " tool): bootstrap a new controller and migrate, or recover this one first");
    }
    var controller = json.readTree(shown.stdout()).elements().next();
    var machines = controller.path("controller-machines");
    String primary = null;
    List<String> unhealthy = new ArrayList<>();
    Map<String, Object> members = new LinkedHashMap<>();
    for (var machine : machines.properties()) {
      String ha = machine.getValue().path("ha-status").asText();
      members.put("machine " + machine.getKey(), ha + (machine.getValue().path("ha-primary").asBoolean() ? " (primary)" : ""));
      if (machine.getValue().path("ha-primary").asBoolean()) {
        primary = machine.getKey();
      }
      if (!ha.equals("ha-enabled")) {
        unhealthy.add(machine.getKey() + " (juju machine " + machine.getKey() + ": " + ha + ")");
      }
    }
    String controllerVersion = controller.path("details").path("agent-version").asText();
    String controllerModel = controller.path("models").path("controller").path("uuid").asText();
    String backupVersion = String.valueOf(meta.getOrDefault("jujuVersion", ""));
    String backupModel = String.valueOf(meta.getOrDefault("modelUuid", meta.get("environmentUuid")));
    int backupNodes = meta.get("haNodes") == null ? 1 : Integer.parseInt(meta.get("haNodes").toString());
    List<String> refusals = new ArrayList<>();
    if (!unhealthy.isEmpty() && machines.size() > 1) {
      refusals.add("unhealthy replica set members: " + String.join(", ", unhealthy));
    }
    if (primary == null) {
      refusals.add("no primary found in replica set");
    }
    if (!sameVersion(backupVersion, controllerVersion)) {
      refusals.add(backupVersion.compareTo(controllerVersion) < 0
          ? "restoring backup would downgrade from juju \"" + controllerVersion + "\" to \"" + backupVersion
              + "\" - pass --allow-downgrade if this is intended"
          : "juju versions don't match - backup: \"" + backupVersion + "\", controller: \"" + controllerVersion + "\"");
    }
    if (!backupModel.equals(controllerModel)) {
      refusals.add("controller model uuids don't match - backup: " + backupModel + ", controller: " + controllerModel);
    }
    if (backupNodes != machines.size()) {
      refusals.add("controller HA node counts don't match - backup: " + backupNodes + ", controller: " + machines.size());
    }
    if (!refusals.isEmpty()) {
      throw RestoreTarget.refused("juju-restore would refuse: " + String.join("; ", refusals));
    }
    int n = run.members();
    HaRestorePlan plan = plan(host, JujuCli.Generation.JUJU_2_9, version, backup, meta, primary);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("clientHost", host.where());
    target.put("jujuClient", version.text() + " (" + JujuCli.Generation.JUJU_2_9.label + ")");
    target.put("controllerUuid", controller.path("details").path("uuid").asText());
    target.put("controllerVersion", controllerVersion);
    target.put("controllerModel", controllerModel);
    target.putAll(members);
    List<String> warnings = List.of(OVERWRITE_WARNING,
        "juju-restore replaces the controller's database with the backup's on the primary (machine " + primary
            + "): 'Restore cannot be cleanly aborted from here on.' It is for the same controller only, not a"
            + " disaster-recovery target, and its README calls it experimental",
        "Then 'enable-ha -n " + n + "' and the run waits up to " + haTimeout(run) + " for " + n + " members with a vote",
        "The controller's previous database is not kept by Lifeboat: a failure after the approval is not rolled back");
    step.message("controller " + target.get("controllerUuid") + " (Juju " + controllerVersion + ", primary machine "
        + primary + ") passes juju-restore's checks for backup " + backup.id());
    return new Checked<>(plan, "restore backup " + backup.id() + " into controller " + target.get("controllerUuid")
        + " with juju-restore and bring HA to " + n + " voting members", target, replacement(run, backup, meta, plan),
        Map.of("controllerMachines", machines.size()), warnings,
        "(nothing: juju-restore overwrites the controller's database in place; the catalogued backup is the copy)",
        commands(juju, run, plan, host.where()), null);
  }

  private HaRestorePlan plan(HostSession host, JujuCli.Generation generation, JujuCli.Version version, Backup backup,
      Map<String, Object> meta, String primary) {
    String dir = host.run(Command.of("mktemp", "-d", "-t", "lifeboat-juju-restore.XXXXXXXX"))
        .orThrow(host.where()).stdout().strip();
    String name = "juju-backup-" + backup.id() + ".tar.gz";
    return new HaRestorePlan(generation.label, version.text(), dir, dir + "/" + name, backup.sha256(), backup.size(),
        String.valueOf(meta.getOrDefault("jujuVersion", "unknown")), primary,
        primary == null ? null : "/tmp/lifeboat-" + name);
  }

  private Map<String, Object> replacement(HaRestoreRun run, Backup backup, Map<String, Object> meta,
      HaRestorePlan plan) {
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("backupId", backup.id());
    replacement.put("jujuVersion", plan.backupJujuVersion());
    Object uuid = meta.containsKey("environmentUuid") ? meta.get("environmentUuid") : meta.get("modelUuid");
    replacement.put(meta.containsKey("environmentUuid") ? "environment" : "model", uuid);
    replacement.put("takenAt", backup.startedAt() == null ? null : backup.startedAt().toString());
    replacement.put("age", backup.startedAt() == null ? null
        : Duration.between(backup.startedAt(), clock.instant()).toHours() + " h");
    replacement.put("checksum", meta.get("checksum"));
    replacement.put("sha256", backup.sha256());
    replacement.put("size", backup.size());
    replacement.put("constraints", blankToNull(run.constraints()));
    replacement.put("membersAfter", run.members());
    return replacement;
  }

  /** juju-restore ignores build numbers: 3.1.6 and 3.1.6.1 match. */
  static boolean sameVersion(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < 3; i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      if (!p.equals(q)) {
        return false;
      }
    }
    return true;
  }

  private static List<PlannedCommand> commands(JujuCli juju, HaRestoreRun run, HaRestorePlan plan, String where) {
    List<PlannedCommand> commands = new ArrayList<>();
    commands.add(new PlannedCommand("restore", where, juju.describe(restoreArguments(run, plan)), true));
    commands.add(new PlannedCommand("start", where, juju.describe(haArguments(run, plan)), true));
    commands.add(new PlannedCommand("verify", where, juju.describe(statusArguments(plan))
        + " (repeated until " + run.members() + " members have a vote)", true));
    commands.add(new PlannedCommand("clean up", where, Command.of("rm", "-rf", "--", plan.uploadDir()).describe()
        + (plan.juju1() ? "" : "; " + juju.describe(removeRemote(plan))), !plan.juju1()));
    return commands;
  }

  private static String[] restoreArguments(HaRestoreRun run, HaRestorePlan plan) {
    if (!plan.juju1()) {
      return new String[] {"ssh", "-m", "controller", plan.primary(), "--", "juju-restore", "--yes", plan.remoteFile()};
    }
    List<String> args = new ArrayList<>(List.of("backups", "restore", "-b", "--file=" + plan.uploadFile()));
    if (blankToNull(run.constraints()) != null) {
      args.add("--constraints=" + run.constraints().strip());
    }
    return args.toArray(String[]::new);
  }

  private static String[] haArguments(HaRestoreRun run, HaRestorePlan plan) {
    String n = String.valueOf(run.members());
    if (plan.juju1()) {
      return new String[] {"ensure-availability", "-n", n};
    }
    return blankToNull(run.constraints()) == null ? new String[] {"enable-ha", "-n", n}
        : new String[] {"enable-ha", "-n", n, "--constraints", run.constraints().strip()};
  }

  private static String[] statusArguments(HaRestorePlan plan) {
    return plan.juju1() ? new String[] {"status", "--format=json"}
        : new String[] {"status", "-m", "controller", "--format=json"};
  }

  private static String[] removeRemote(HaRestorePlan plan) {
    return new String[] {"ssh", "-m", "controller", plan.primary(), "--", "rm", "-f", plan.remoteFile()};
  }

  /** The catalogued archive goes to the client host, where juju reads it; sha256sum there must agree. */
  @Override
  public Map<String, Object> prepareArtifact(HaRestoreRun run, HaRestorePlan plan, StepContext step)
      throws IOException {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef());
        InputStream archive = backups.openPlaintext(run.backupId())) {
      host.upload(archive, plan.size(), plan.uploadFile(), done -> step.progress(done, plan.size(), "bytes"));
      String onHost = host.sha256(plan.uploadFile());
      if (!onHost.equals(plan.sha256())) {
        host.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
        throw RestoreTarget.refused("the copy on " + host.where() + " hashes to " + onHost + ", the catalogue says "
            + plan.sha256() + ": the transfer or the stored archive is damaged; nothing was changed");
      }
      if (!plan.juju1()) {
        JujuCli juju = new JujuCli(host, run.jujuCommand());
        juju.run(RESTORE_TIMEOUT, OutputListener.NONE, "scp", "-m", "controller", plan.uploadFile(),
            plan.primary() + ":" + plan.remoteFile());
        String there = juju.run(STATUS_TIMEOUT, OutputListener.NONE, "ssh", "-m", "controller", plan.primary(), "--",
            "sha256sum", plan.remoteFile()).stdout().strip().split("\\s+")[0];
        if (!there.equals(plan.sha256())) {
          cleanUp(run, plan, step);
          throw RestoreTarget.refused("the copy on controller machine " + plan.primary() + " hashes to " + there
              + ", the catalogue says " + plan.sha256() + "; nothing was changed");
        }
        step.message("uploaded to " + plan.uploadFile() + " and copied to machine " + plan.primary() + ":"
            + plan.remoteFile() + "; sha256sum printed " + there + " on both");
        return Map.of("checksumVerifiedOnHost", "sha256sum on " + host.where() + " and on controller machine "
            + plan.primary() + " printed " + there + " (as catalogued)", "uploadedTo", plan.remoteFile());
      }
      step.message("uploaded to " + plan.uploadFile() + "; sha256sum on " + host.where() + " printed " + onHost);
      return Map.of("checksumVerifiedOnHost", "sha256sum on " + host.where() + " printed " + onHost
          + " (as catalogued)", "uploadedTo", plan.uploadFile());
    }
  }

  @Override
  public void stop(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    step.message("nothing to stop: every state server is lost");
  }

  @Override
  public void saveAside(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    step.message("nothing to save: no state server is left; the catalogued backup is the copy");
  }

  @Override
  public void apply(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      JujuCli juju = new JujuCli(host, run.jujuCommand());
      JujuCli.Output output = juju.run(RESTORE_TIMEOUT, step::output, restoreArguments(run, plan));
      step.message(lastLine(output.stdout(), "restore finished") + messages(output));
    }
  }

  /** ensure-availability / enable-ha -n N: Juju creates the missing members from the restored one. */
  @Override
  public void start(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      JujuCli juju = new JujuCli(host, run.jujuCommand());
      JujuCli.Output output = juju.run(STATUS_TIMEOUT, step::output, haArguments(run, plan));
      step.message(String.join("; ", output.stdout().strip().lines().toList()) + messages(output));
    }
  }

  /** Waits until N members have a vote; COMPLETED only then. */
  @Override
  public Map<String, Object> verify(HaRestoreRun run, HaRestorePlan plan, StepContext step) throws Exception {
    int n = run.members();
    Duration timeout = haTimeout(run);
    Duration poll = pollInterval(timeout);
    Instant deadline = clock.instant().plus(timeout);
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      JujuCli juju = new JujuCli(host, run.jujuCommand());
      ControllerMembers members = null;
      String lastError = null;
      while (true) {
        CommandResult status = juju.attempt(STATUS_TIMEOUT, OutputListener.NONE, statusArguments(plan));
        if (status.succeeded() && JujuCli.errors(status).isEmpty()) {
          members = ControllerMembers.parse(status.stdout(), json);
          step.progress(Math.min(members.voting(), n), (long) n, "voting members");
          step.message(members.voting() + " of " + n + " members have a vote: " + members.describe());
          if (members.voting() >= n) {
            return Map.of("votingMembers", members.voting(), "members", members.describe());
          }
        } else {
          lastError = JujuCli.errors(status).isEmpty() ? status.tail() : String.join("; ", JujuCli.errors(status));
        }
        if (!clock.instant().plus(poll).isBefore(deadline)) {
          break;
        }
        Thread.sleep(poll.toMillis());
      }
      throw new JujuException("after " + timeout + " " + (members == null ? 0 : members.voting()) + " of " + n
          + " members have a vote: " + (members == null ? "juju status never answered (" + lastError + ")"
          : members.describe()));
    }
  }

  /** Nothing was saved aside (nothing was left); a restored state server is never destroyed again. */
  @Override
  public SavedData savedData(HaRestoreRun run, HaRestorePlan plan) {
    return SavedData.WAS_EMPTY;
  }

  @Override
  public void putBack(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    throw new JujuException("Lifeboat does not destroy a re-bootstrapped state server: there was nothing before it"
        + " to go back to");
  }

  @Override
  public Map<String, Object> inspect(HaRestoreRun run, HaRestorePlan plan) {
    ControllerMembers members = currentMembers(run, plan);
    return plan.juju1() ? Map.of("stateServersWithVote", members.voting())
        : Map.of("controllerMachines", members.members().size());
  }

  @Override
  public String describeState(HaRestoreRun run, HaRestorePlan plan, SavedData saved) {
    String members;
    try {
      members = currentMembers(run, plan).describe();
    } catch (RuntimeException e) {
      members = "unknown ('juju status' failed: " + e.getMessage() + ")";
    }
    return "members now: " + members + ". Finish by hand: 'juju " + String.join(" ", haArguments(run, plan))
        + "' and 'juju " + String.join(" ", statusArguments(plan)) + "' until " + run.members()
        + " have a vote, or restore again";
  }

  @Override
  public void cleanUp(HaRestoreRun run, HaRestorePlan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      host.run(Command.of("rm", "-rf", "--", plan.uploadDir())).orThrow(host.where());
      if (!plan.juju1()) {
        new JujuCli(host, run.jujuCommand()).attempt(STATUS_TIMEOUT, OutputListener.NONE, removeRemote(plan));
      }
      step.message("removed " + plan.uploadDir() + " on " + host.where()
          + (plan.juju1() ? "" : " and " + plan.remoteFile() + " on machine " + plan.primary()));
    }
  }

  private ControllerMembers currentMembers(HaRestoreRun run, HaRestorePlan plan) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      JujuCli.Output output = new JujuCli(host, run.jujuCommand()).run(STATUS_TIMEOUT, OutputListener.NONE,
          statusArguments(plan));
      return ControllerMembers.parse(output.stdout(), json);
    }
  }

  private static Duration haTimeout(HaRestoreRun run) {
    if (run.haTimeout() == null || run.haTimeout().isBlank()) {
      return DEFAULT_HA_TIMEOUT;
    }
    Duration timeout = Duration.parse(run.haTimeout());
    if (timeout.compareTo(MAX_HA_TIMEOUT) > 0) {
      throw RestoreTarget.refused("haTimeout " + timeout + " is longer than the step may run (" + MAX_HA_TIMEOUT + ")");
    }
    return timeout;
  }

  /** Ten seconds between looks, fewer when the whole wait is short. */
  static Duration pollInterval(Duration timeout) {
    Duration twentieth = timeout.dividedBy(20);
    return twentieth.compareTo(Duration.ofSeconds(10)) < 0 ? twentieth.plusMillis(100) : Duration.ofSeconds(10);
  }

  private HostSession connectForChecks(HaRestoreRun run) {
    try {
      return hosts.forRun(run.runId(), run.host(), run.credentialRef());
    } catch (HostKeyRejectedException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
  }

  private Backup backupOf(String backupId) {
    Backup backup;
    try {
      backup = backups.get(backupId);
    } catch (BackupNotFoundException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
    if (!JujuArchive.KIND.equals(backup.kind())) {
      throw RestoreTarget.refused("backup " + backupId + " is a " + backup.kind() + ", not a " + JujuArchive.KIND);
    }
    return backup;
  }

  private static String lastLine(String text, String otherwise) {
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? otherwise : lines.getLast();
  }

  private static String messages(JujuCli.Output output) {
    return output.messages().isEmpty() ? "" : "; juju said: " + String.join(" | ", output.messages());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
