package dev.lifeboat.juju;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.Checksum;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.juju.JujuCli.Generation;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * juju-controller-backup's work: Juju's own backup command on the client host writes the archive
 * into a private temporary directory there, the printed metadata is read, and the file is copied
 * into the backup pipeline while its sha256, Juju's SHA-1 and its layout are checked in one pass.
 * The host's temporary directory is removed whatever happens.
 */
@Service
class JujuControllerBackupService {

  static final String CHECKSUM_FORMAT = "SHA-1, base64 encoded";
  private static final Duration BACKUP_TIMEOUT = Duration.ofHours(6);

  record Request(String host, String credentialRef, String jujuCommand, String controller, String notes,
      String initiator, String runId) {}

  /** The staged archive, Juju's facts about it, and what juju said on stderr besides errors. */
  record Taken(StagedArchive archive, String checksum, String jujuVersion, List<String> jujuMessages) {}

  private final RemoteHosts hosts;
  private final BackupPipeline pipeline;
  private final ObjectMapper json;

  JujuControllerBackupService(RemoteHosts hosts, BackupPipeline pipeline, ObjectMapper json) {
    this.hosts = hosts;
    this.pipeline = pipeline;
    this.json = json;
  }

  JujuCli.Version detect(String host, String credentialRef, String jujuCommand) {
    try (HostSession session = hosts.connect(host, credentialRef)) {
      JujuCli.Version version = new JujuCli(session, jujuCommand).version();
      version.generation();
      return version;
    }
  }

  Taken take(Request request, StepContext step) throws IOException, InterruptedException {
    try (HostSession host = hosts.forRun(request.runId(), request.host(), request.credentialRef())) {
      JujuCli juju = new JujuCli(host, request.jujuCommand());
      JujuCli.Version version = juju.version();
      Generation generation = version.generation();
      // mktemp -d makes the directory mode 0700: the archive holds the controller's keys.
      String dir = host.run(Command.of("mktemp", "-d", "-t", "lifeboat-juju-backup.XXXXXXXX"))
          .orThrow(host.where()).stdout().strip();
      String file = dir + "/juju-backup.tar.gz";
      try {
        String[] create = createCommand(generation, file, request);
        step.message("running '" + juju.describe(create) + "' on " + host.where());
        JujuCli.Output output = juju.run(BACKUP_TIMEOUT, step::output, create);
        PrintedMetadata printed = PrintedMetadata.parse(output.stdout());
        if (!printed.missing().isEmpty()) {
          throw new JujuException("'" + juju.describe(create) + "' printed no " + String.join(", ", printed.missing())
              + ", so the archive cannot be verified: " + output.stdout().strip());
        }
        StagedArchive archive = copy(host, file, printed, generation, version, request, step);
        return new Taken(archive, printed.checksum(), version.number(), output.messages());
      } finally {
        host.run(Command.of("rm", "-rf", "--", dir));
      }
    }
  }

  private static String[] createCommand(Generation generation, String file, Request request) {
    List<String> args = new ArrayList<>();
    if (generation == Generation.JUJU_1) {
      args.addAll(List.of("backups", "create", "--filename", file));
      if (hasText(request.controller())) {
        args.addAll(List.of("-e", request.controller()));
      }
    } else {
      args.addAll(List.of("create-backup", "--filename", file));
      if (hasText(request.controller())) {
        args.addAll(List.of("-m", request.controller() + ":controller"));
      }
    }
    if (hasText(request.notes())) {
      args.add(request.notes());
    }
    return args.toArray(String[]::new);
  }

  private StagedArchive copy(HostSession host, String file, PrintedMetadata printed, Generation generation,
      JujuCli.Version version, Request request, StepContext step) throws IOException, InterruptedException {
    Instant started = PrintedMetadata.wholeSeconds(printed.started());
    String backupId = pipeline.reserveId(started, JujuArchive.KIND, printed.modelUuid(), request.runId());
    try (ArchiveStaging staging = pipeline.stage(request.runId(), Checksum.SHA1_BASE64)) {
      String reporter = "juju " + version.number();
      staging.expect(Checksum.SHA1_BASE64, printed.checksum(), reporter);
      if (!CHECKSUM_FORMAT.equals(printed.checksumFormat())) {
        staging.problem("juju printed checksum format '" + printed.checksumFormat() + "', expected " + CHECKSUM_FORMAT);
      }
      InspectingStream<JujuArchive.Contents> out = new InspectingStream<>(staging.out(), in -> JujuArchive.read(in, json));
      long size = host.download(file, out, bytes -> step.progress(bytes, printed.size(), "bytes"));
      JujuArchive.Contents contents = null;
      try {
        contents = out.result();
      } catch (RuntimeException e) {
        staging.problem("the archive is not in Juju's layout: " + e.getMessage());
      }
      if (size != printed.size()) {
        staging.problem("the downloaded file has " + size + " bytes, but " + reporter + " reported " + printed.size());
      }
      Map<String, Object> metadata = metadata(printed, contents, generation, version, request);
      metadata.put("backupId", backupId);
      BackupDescription description = new BackupDescription(backupId, JujuArchive.KIND, printed.modelUuid(), metadata,
          hasText(request.notes()) ? request.notes() : null, printed.started(), printed.finished());
      return staging.finish(description, request.initiator());
    }
  }

  /** Juju's `backups info` fields, as printed, and the archive's own metadata.json (without secrets). */
  private static Map<String, Object> metadata(PrintedMetadata printed, JujuArchive.Contents contents,
      Generation generation, JujuCli.Version version, Request request) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("jujuBackupId", printed.backupId());
    metadata.put("checksum", printed.checksum());
    metadata.put("checksumFormat", printed.checksumFormat());
    metadata.put("size", printed.size());
    putTime(metadata, "stored", printed.stored());
    putTime(metadata, "started", printed.started());
    putTime(metadata, "finished", printed.finished());
    metadata.put("notes", printed.get("notes") == null ? "" : printed.get("notes"));
    metadata.put(generation == Generation.JUJU_1 ? "environmentUuid" : "modelUuid", printed.modelUuid());
    putIf(metadata, "controllerUuid", printed.get("controller UUID"));
    putIf(metadata, "machine", printed.get("machine ID"));
    putIf(metadata, "hostname", printed.get("created on host"));
    putIf(metadata, "jujuVersion", printed.get("juju version"));
    putIf(metadata, "series", printed.get("series"));
    putIf(metadata, "base", printed.get("base"));
    putIf(metadata, "haNodes", printed.get("controllers in HA"));
    putIf(metadata, "formatVersion", printed.get("backup format version"));
    metadata.put("clientVersion", version.text());
    metadata.put("cliGeneration", generation.label);
    metadata.put("clientHost", request.host());
    putIf(metadata, "controller", request.controller());
    if (contents != null) {
      metadata.put("archive", JujuArchive.withoutSecrets(contents.metadata()));
    }
    return metadata;
  }

  private static void putTime(Map<String, Object> metadata, String key, Instant at) {
    if (at != null) {
      metadata.put(key, at.toString());
    }
  }

  private static void putIf(Map<String, Object> metadata, String key, String value) {
    if (hasText(value)) {
      metadata.put(key, value);
    }
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
