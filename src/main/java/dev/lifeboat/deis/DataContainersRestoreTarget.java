package dev.lifeboat.deis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.archive.UnsafeArchiveException;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.remote.HostKeyRejectedException;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.restore.RestoreTarget;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Procedure 004's import of data containers on the restore skeleton: each part of the archive fed
 * to {@code docker import - <name>} on the host (the procedure's {@code cat x.tar | docker import -
 * <name>}), the image that name pointed at kept under a dated tag so a rollback can point it back.
 */
@Component
class DataContainersRestoreTarget implements RestoreTarget<DataContainersRestoreTarget.Run, DataContainersRestoreTarget.Plan> {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Variables of a deis-data-containers-restore run. */
  record Run(String runId, String initiator, String backupId, String host, String credentialRef, String dockerCommand,
      String containers, String reason) {}

  /** One image to import: from which part, and what its name pointed at before (null: nothing). */
  record Item(String container, String entry, long size, String sha256, String previousId, String savedTag) {

    String image() {
      return container + ":latest";
    }
  }

  record Plan(String dockerVersion, List<Item> items) {}

  private final RemoteHosts hosts;
  private final BackupService backups;
  private final ObjectMapper json;
  private final Clock clock;

  DataContainersRestoreTarget(RemoteHosts hosts, BackupService backups, ObjectMapper json, Clock clock) {
    this.hosts = hosts;
    this.backups = backups;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return "deis-data-containers";
  }

  @Override
  public Checked<Plan> check(Run run, StepContext step) {
    Backup backup = backupOf(run.backupId());
    ContainerArchive archive = json.convertValue(backup.metadata(), ContainerArchive.class);
    List<ContainerArchive.Part> parts = selected(run, archive);
    String stamp = STAMP.format(clock.instant());
    try (HostSession host = connectForChecks(run)) {
      Docker docker = new Docker(host, run.dockerCommand());
      String version;
      try {
        version = docker.serverVersion();
      } catch (DockerException e) {
        throw RestoreTarget.refused(e.getMessage());
      }
      List<Item> items = new ArrayList<>();
      Map<String, Object> before = new LinkedHashMap<>();
      Map<String, Object> images = new LinkedHashMap<>();
      List<PlannedCommand> commands = new ArrayList<>();
      for (ContainerArchive.Part part : parts) {
        String previous = docker.imageId(part.container() + ":latest").orElse(null);
        String saved = previous == null ? null : part.container() + ":lifeboat-" + stamp;
        Item item = new Item(part.container(), part.entry(), part.size(), part.sha256(), previous, saved);
        items.add(item);
        before.put(part.container(), previous == null ? "absent" : previous);
        images.put(item.image(), previous == null ? "absent: will be created"
            : previous + ": replaced, kept as " + saved);
      }
      for (Item item : items) {
        if (item.previousId() != null) {
          commands.add(new PlannedCommand("save aside", host.where(),
              docker.command("tag", item.image(), item.savedTag()).describe(), false));
        }
      }
      for (Item item : items) {
        commands.add(new PlannedCommand("import", host.where(), docker.command("import", "-", item.container())
            .describe() + "  (stdin: " + item.entry() + " from the archive, " + item.size() + " bytes)", false));
      }
      for (Item item : items) {
        commands.add(new PlannedCommand("rollback", host.where(), item.previousId() != null
            ? docker.command("tag", item.savedTag(), item.image()).describe()
            : docker.command("rmi", item.image()).describe(), false));
      }
      boolean empty = items.stream().allMatch(item -> item.previousId() == null);
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("host", host.where());
      target.put("dockerVersion", version);
      target.put("images", images);
      Map<String, Object> replacement = new LinkedHashMap<>();
      replacement.put("backupId", backup.id());
      replacement.put("source", backup.source());
      replacement.put("takenFrom", archive.host());
      replacement.put("takenAt", archive.finishedAt() == null ? null : archive.finishedAt().toString());
      replacement.put("containers", parts.stream().map(p -> p.container() + " (" + p.size() + " bytes, sha256 "
          + p.sha256() + ")").toList());
      replacement.put("archiveSha256", backup.sha256());
      long replaced = items.stream().filter(item -> item.previousId() != null).count();
      step.message("docker " + version + " on " + host.where() + "; " + replaced + " of " + items.size()
          + " images exist and would be replaced");
      return new Checked<>(new Plan(version, items),
          "Import " + items.size() + " data containers of backup " + backup.id() + " as images on " + host.where()
              + " (" + (items.size() - replaced) + " created, " + replaced + " replaced)",
          target, replacement, before,
          List.of("docker import creates images, not containers: recreate the data containers from them as the"
              + " platform's units do (procedure 004)"),
          empty ? null : "the previous images, tagged <name>:lifeboat-" + stamp + " on " + host.where(),
          commands, empty ? "none of the images " + items.stream().map(Item::image).toList() + " exist on "
              + host.where() : null);
    }
  }

  /** Reads the stored archive: its sha256 as catalogued and each part's sha256 as its metadata says. */
  @Override
  public Map<String, Object> prepareArtifact(Run run, Plan plan, StepContext step) throws IOException {
    Backup backup = backupOf(run.backupId());
    MessageDigest archiveSha = Sha256.newDigest();
    Map<String, String> found = new LinkedHashMap<>();
    try (InputStream in = new DigestInputStream(backups.openPlaintext(backup.id()), archiveSha);
        ArchiveReader reader = new ArchiveReader(in)) {
      for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
        found.put(entry.name(), Sha256.of(entry.content()));
      }
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | UnsafeArchiveException e) {
      throw RestoreTarget.refused("archive " + backup.id() + " cannot be read (" + e.getMessage()
          + "): the stored copy is damaged; nothing on the host was changed");
    }
    List<String> problems = new ArrayList<>();
    for (Item item : plan.items()) {
      String sha = found.get(item.entry());
      if (!item.sha256().equals(sha)) {
        problems.add("part " + item.entry() + " hashes to " + sha + ", recorded " + item.sha256());
      }
    }
    String actual = HexFormat.of().formatHex(archiveSha.digest());
    if (!actual.equals(backup.sha256())) {
      problems.add("the archive hashes to " + actual + ", catalogued " + backup.sha256());
    }
    if (!problems.isEmpty()) {
      throw RestoreTarget.refused("archive " + backup.id() + " is corrupt: " + String.join("; ", problems)
          + "; nothing on the host was changed");
    }
    step.message("archive sha256 " + actual + " matches the catalogue; " + plan.items().size()
        + " parts match their recorded sha256");
    return Map.of("checksumVerified", "archive sha256 " + actual + " as catalogued; every part as recorded");
  }

  @Override
  public void stop(Run run, Plan plan, StepContext step) {
    step.message("importing an image stops nothing: running containers keep their images until recreated");
  }

  @Override
  public void saveAside(Run run, Plan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      Docker docker = new Docker(host, run.dockerCommand());
      List<String> saved = new ArrayList<>();
      for (Item item : plan.items()) {
        if (item.previousId() != null) {
          docker.tag(item.image(), item.savedTag());
          saved.add(item.savedTag());
        }
      }
      step.message(saved.isEmpty() ? "no previous images to keep" : "previous images kept as " + saved);
    }
  }

  /** Feeds each part to {@code docker import - <name>}, its sha256 checked as it streams. */
  @Override
  public void apply(Run run, Plan plan, StepContext step) throws IOException {
    Map<String, Item> byEntry = new LinkedHashMap<>();
    plan.items().forEach(item -> byEntry.put(item.entry(), item));
    List<String> imported = new ArrayList<>();
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef());
        ArchiveReader reader = new ArchiveReader(backups.content(run.backupId(), "lifeboat"))) {
      Docker docker = new Docker(host, run.dockerCommand());
      for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
        Item item = byEntry.get(entry.name());
        if (item == null) {
          entry.content().transferTo(OutputStream.nullOutputStream());
          continue;
        }
        MessageDigest sha = Sha256.newDigest();
        String id = docker.importImage(item.container(), new DigestInputStream(entry.content(), sha));
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(item.sha256())) {
          throw new DockerException(item.entry() + " changed since it was verified (sha256 " + actual + ")");
        }
        imported.add(item.image() + " = " + id);
      }
    }
    step.message("imported " + imported);
  }

  @Override
  public void start(Run run, Plan plan, StepContext step) {
    step.message("nothing to start");
  }

  /** Each name points at a new image. */
  @Override
  public Map<String, Object> verify(Run run, Plan plan, StepContext step) {
    Map<String, Object> now = inspect(run, plan);
    List<String> problems = new ArrayList<>();
    for (Item item : plan.items()) {
      Object id = now.get(item.container());
      if ("absent".equals(id) || String.valueOf(id).equals(item.previousId())) {
        problems.add(item.image() + " is " + id + " after the import");
      }
    }
    if (!problems.isEmpty()) {
      throw new DockerException(String.join("; ", problems));
    }
    step.message("images now: " + now);
    return Map.of("importedImages", now, "restoredContainers", plan.items().size());
  }

  @Override
  public SavedData savedData(Run run, Plan plan) {
    return plan.items().stream().allMatch(item -> item.previousId() == null) ? SavedData.WAS_EMPTY
        : SavedData.SAVED_ASIDE;
  }

  /** Points each name back at its previous image, or removes the name when there was none. */
  @Override
  public void putBack(Run run, Plan plan, StepContext step) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      Docker docker = new Docker(host, run.dockerCommand());
      for (Item item : plan.items()) {
        if (item.previousId() != null) {
          docker.tag(item.savedTag(), item.image());
        } else if (docker.imageId(item.image()).isPresent()) {
          docker.removeTag(item.image());
        }
      }
      step.message("image names point where they pointed before");
    }
  }

  @Override
  public Map<String, Object> inspect(Run run, Plan plan) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      Docker docker = new Docker(host, run.dockerCommand());
      Map<String, Object> images = new LinkedHashMap<>();
      for (Item item : plan.items()) {
        images.put(item.container(), docker.imageId(item.image()).orElse("absent"));
      }
      return images;
    }
  }

  @Override
  public String describeState(Run run, Plan plan, SavedData saved) {
    return "on " + run.host() + " some names may point at imported images; the previous ones are tagged "
        + plan.items().stream().filter(i -> i.savedTag() != null).map(Item::savedTag).toList()
        + ". Check with 'docker images'";
  }

  @Override
  public void cleanUp(Run run, Plan plan, StepContext step) {
    // the dated tags stay: they are the way back
  }

  private static List<ContainerArchive.Part> selected(Run run, ContainerArchive archive) {
    if (run.containers() == null || run.containers().isBlank()) {
      return archive.containers();
    }
    List<String> names = Arrays.stream(run.containers().split(",")).map(String::strip).filter(Predicate.not(
        String::isEmpty)).toList();
    List<ContainerArchive.Part> parts = new ArrayList<>();
    for (String name : names) {
      parts.add(archive.containers().stream().filter(p -> p.container().equals(name)).findFirst()
          .orElseThrow(() -> RestoreTarget.refused("backup " + run.backupId() + " holds no container '" + name
              + "' (it holds " + archive.containers().stream().map(ContainerArchive.Part::container).toList() + ")")));
    }
    return parts;
  }

  private HostSession connectForChecks(Run run) {
    try {
      return hosts.forRun(run.runId(), run.host(), run.credentialRef());
    } catch (HostKeyRejectedException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
  }

  private Backup backupOf(String backupId) {
    try {
      Backup backup = backups.get(backupId);
      if (!ContainerArchive.KIND.equals(backup.kind())) {
        throw RestoreTarget.refused("backup " + backupId + " is a " + backup.kind() + ", not " + ContainerArchive.KIND);
      }
      return backup;
    } catch (BackupNotFoundException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
  }
}
