package dev.lifeboat.juju;

import dev.lifeboat.archive.ArchivePaths;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import dev.lifeboat.runbook.StepOutcomeException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.springframework.stereotype.Service;

/**
 * juju-client-backup's work, procedure 001's "Backup ~/.juju" made safe: {@code tar -cpzf} of the
 * client directory (permissions kept, excludes applied, under sudo for the local provider's root
 * files) streamed over SSH and encrypted to the configured age recipients on its way into the
 * pipeline: the keys in it control the environments, so no plaintext copy is ever written.
 */
@Service
class JujuClientBackupService {

  static final String KIND = "juju-client-backup";
  static final String REFUSED = "CLIENT_BACKUP_REFUSED";
  private static final Duration TAR_TIMEOUT = Duration.ofHours(2);
  /** $JUJU_DATA, else $XDG_DATA_HOME/juju, else ~/.local/share/juju (2.x+), else ~/.juju (1.x): the first that exists. */
  private static final String FIND_DIR = "for d in \"${JUJU_DATA:-}\" \"${XDG_DATA_HOME:+$XDG_DATA_HOME/juju}\""
      + " \"$HOME/.local/share/juju\" \"$HOME/.juju\"; do"
      + " if [ -n \"$d\" ] && [ -d \"$d\" ]; then echo \"$d\"; exit 0; fi; done; exit 3";

  record Request(String host, String credentialRef, String jujuDir, String excludes, Boolean sudo, String notes,
      String initiator, String runId) {}

  record Taken(StagedArchive archive, int fileCount, String plaintextSha256, List<String> tarMessages) {}

  private final RemoteHosts hosts;
  private final BackupPipeline pipeline;
  private final AgeEncryption age;
  private final Clock clock;

  JujuClientBackupService(RemoteHosts hosts, BackupPipeline pipeline, AgeEncryption age, Clock clock) {
    this.hosts = hosts;
    this.pipeline = pipeline;
    this.age = age;
    this.clock = clock;
  }

  /** The client directory to archive, checked before anything is read; refuses without age recipients. */
  String check(Request request) {
    if (!age.enabled()) {
      throw new StepOutcomeException(REFUSED, "a Juju client backup holds the keys that control its environments"
          + " and is only written encrypted: set lifeboat.encryption.age-recipients-file to a file of age1... public"
          + " keys (one per line, as age -R reads it)");
    }
    excludeArguments(request.excludes(), "juju");
    try (HostSession host = hosts.forRun(request.runId(), request.host(), request.credentialRef())) {
      if (request.jujuDir() != null && !request.jujuDir().isBlank()) {
        if (!host.run(withSudo(request, "test", "-d", request.jujuDir())).succeeded()) {
          throw new StepOutcomeException(REFUSED, request.jujuDir() + " is not a directory on " + host.where());
        }
        return request.jujuDir().replaceAll("/+$", "");
      }
      CommandResult found = host.run(Command.shell(FIND_DIR));
      if (!found.succeeded()) {
        throw new StepOutcomeException(REFUSED, "no Juju client directory on " + host.where() + ": none of $JUJU_DATA,"
            + " $XDG_DATA_HOME/juju, ~/.local/share/juju, ~/.juju exists; name it with jujuDir");
      }
      return found.stdout().strip();
    }
  }

  Taken take(Request request, String jujuDir, StepContext step) throws IOException, InterruptedException {
    Instant started = clock.instant();
    // A stable identity short enough for the backup id; host and directory are in the metadata.
    String source = "client-" + HexFormat.of().formatHex(ClientFiles.sha256().digest(
        (request.host() + ":" + jujuDir).getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
    String backupId = pipeline.reserveId(started, KIND, source, request.runId());
    int slash = jujuDir.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : jujuDir.substring(0, slash);
    String base = jujuDir.substring(slash + 1);
    List<String> tar = new ArrayList<>(List.of("tar", "-C", parent, "-cpzf", "-"));
    tar.addAll(excludeArguments(request.excludes(), base));
    tar.add(base);
    Command command = withSudo(request, tar.toArray(String[]::new));
    try (HostSession host = hosts.forRun(request.runId(), request.host(), request.credentialRef());
        ArchiveStaging staging = pipeline.stage(request.runId())) {
      MessageDigest plaintext = ClientFiles.sha256();
      // The pipeline encrypts what it stages (recipients are required above); this hashes the plaintext.
      DigestOutputStream hashed = new DigestOutputStream(new KeepOpen(staging.out()), plaintext);
      InspectingStream<Integer> counted = new InspectingStream<>(hashed, JujuClientBackupService::countFiles);
      step.message("running '" + command.describe() + "' on " + host.where() + ", encrypting to "
          + age.recipients().size() + " age recipient(s)");
      CommandResult result = host.stream(command, null, counted, TAR_TIMEOUT);
      int files = counted.result();
      hashed.close();
      List<String> messages = result.stderr().lines().filter(l -> !l.isBlank()).toList();
      // tar exits 1 when a file changed while it was read (the archive is still whole), 2 on a fatal error.
      if (result.exitStatus() > 1) {
        throw new JujuException("'" + command.describe() + "' on " + host.where() + " failed with exit status "
            + result.exitStatus() + ": " + result.tail());
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("encrypted", true);
      metadata.put("encryption", "age");
      metadata.put("recipients", age.recipients());
      metadata.put("plaintextSha256", HexFormat.of().formatHex(plaintext.digest()));
      metadata.put("fileCount", files);
      metadata.put("host", request.host());
      metadata.put("jujuDir", jujuDir);
      metadata.put("excludes", excludeList(request.excludes()));
      metadata.put("sudo", Boolean.TRUE.equals(request.sudo()));
      metadata.put("command", command.describe());
      StagedArchive archive = staging.finish(new BackupDescription(backupId, KIND, source, metadata,
          request.notes() == null || request.notes().isBlank() ? null : request.notes(), started, clock.instant()),
          request.initiator());
      return new Taken(archive, files, metadata.get("plaintextSha256").toString(), messages);
    }
  }

  private static Command withSudo(Request request, String... arguments) {
    List<String> all = new ArrayList<>();
    if (Boolean.TRUE.equals(request.sudo())) {
      all.addAll(List.of("sudo", "-n", "--"));
    }
    all.addAll(List.of(arguments));
    return Command.of(all);
  }

  static List<String> excludeList(String excludes) {
    List<String> list = new ArrayList<>();
    if (excludes != null) {
      for (String part : excludes.split(",")) {
        String path = part.strip().replaceAll("^\\./", "").replaceAll("/+$", "");
        if (!path.isEmpty()) {
          list.add(path);
        }
      }
    }
    return list;
  }

  /** tar's {@code --exclude=<dir>/<path>}, as the document writes {@code --exclude=.juju/local}. */
  private static List<String> excludeArguments(String excludes, String base) {
    List<String> arguments = new ArrayList<>();
    for (String path : excludeList(excludes)) {
      try {
        ArchivePaths.checkedEntryName(path);
      } catch (RuntimeException e) {
        throw new StepOutcomeException(REFUSED, "exclude '" + path + "' must be a path inside the Juju directory: "
            + e.getMessage());
      }
      arguments.add("--exclude=" + base + "/" + path);
    }
    return arguments;
  }

  private static int countFiles(InputStream in) throws IOException {
    int files = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (entry.isFile()) {
          files++;
        }
      }
    }
    return files;
  }

  /** age closes what it writes to when it finishes; the staging's stream is closed by the staging. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
