package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.backup.BackupProof;
import dev.lifeboat.backup.ProofFailedException;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The proof of an etcd snapshot: {@code etcdctl snapshot restore} (or {@code etcdutl} where the
 * host's etcd has it) into a scratch directory on Lifeboat's host, which checks the snapshot's own
 * hash; a temporary single member started on it, on loopback ports nobody else uses; its key count
 * and revision compared with the archive's metadata; then it is stopped and removed.
 */
@Component
class EtcdSnapshotProof implements BackupProof {

  /** The etcd binaries on Lifeboat's host; {@code startTimeout} is how long the temporary member may take. */
  @ConfigurationProperties("lifeboat.etcd.proof")
  record ProofProperties(@DefaultValue("etcd") String etcdCommand, @DefaultValue("PT30S") Duration startTimeout) {}

  private static final String NAME = "lifeboat-proof";

  private final RemoteHosts hosts;
  private final ObjectMapper json;
  private final ProofProperties properties;

  EtcdSnapshotProof(RemoteHosts hosts, ObjectMapper json, ProofProperties properties) {
    this.hosts = hosts;
    this.json = json;
    this.properties = properties;
  }

  @Override
  public String kind() {
    return SnapshotMetadata.KIND;
  }

  @Override
  public Result prove(Backup backup, Scratch scratch) throws Exception {
    Path dir = scratch.directory();
    Path snapshot = dir.resolve(SnapshotMetadata.SNAPSHOT_ENTRY);
    SnapshotMetadata metadata = unpack(scratch, snapshot);
    int clientPort = freePort();
    int peerPort = freePort();
    String clientUrl = "http://127.0.0.1:" + clientPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    Path dataDir = dir.resolve("member");
    try (HostSession local = hosts.local()) {
      EtcdHost host = new EtcdHost(local, clientUrl, json);
      String etcdVersion = host.toolVersion("etcd");
      if (etcdVersion == null) {
        throw new IllegalStateException("etcd is not installed on Lifeboat's host (Debian packages etcd-server and"
            + " etcd-client): the proof restores the snapshot into a temporary member");
      }
      String tool = EtcdHost.atLeast(etcdVersion, 3, 5) && host.toolVersion("etcdutl") != null ? "etcdutl" : "etcdctl";
      scratch.message("restoring with " + tool + " snapshot restore into a scratch directory");
      CommandResult restored = local.run(Command.of("env", "ETCDCTL_API=3", tool, "snapshot", "restore",
          snapshot.toString(), "--data-dir", dataDir.toString(), "--name", NAME,
          "--initial-cluster", NAME + "=" + peerUrl, "--initial-advertise-peer-urls", peerUrl,
          "--initial-cluster-token", NAME + "-" + UUID.randomUUID()), Duration.ofMinutes(10), line -> {});
      if (!restored.succeeded()) {
        throw new ProofFailedException(tool + " snapshot restore refused the snapshot: " + restored.tail());
      }
      scratch.message("starting a temporary member on " + clientUrl);
      Process member = new ProcessBuilder(properties.etcdCommand(), "--name", NAME, "--data-dir", dataDir.toString(),
          "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl, "--listen-peer-urls", peerUrl,
          "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", NAME + "=" + peerUrl)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("member.log").toFile())
          .start();
      try {
        if (!host.awaitHealthy(properties.startTimeout())) {
          throw new ProofFailedException("the temporary member restored from the snapshot did not become healthy within "
              + properties.startTimeout().toSeconds() + " s: " + tail(dir.resolve("member.log")));
        }
        EtcdHost.Status status = host.status();
        return compare(metadata, status, tool, etcdVersion);
      } finally {
        member.destroy();
        if (!member.waitFor(10, TimeUnit.SECONDS)) {
          member.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private SnapshotMetadata unpack(Scratch scratch, Path snapshot) throws IOException {
    SnapshotMetadata metadata = null;
    boolean found = false;
    try (InputStream in = scratch.openArchive(); ArchiveReader archive = new ArchiveReader(in)) {
      ArchiveReader.Entry entry;
      while ((entry = archive.next()) != null) {
        if (entry.name().equals(SnapshotMetadata.SNAPSHOT_ENTRY)) {
          Files.copy(entry.content(), snapshot);
          found = true;
        } else if (entry.name().equals(SnapshotMetadata.METADATA_ENTRY)) {
          metadata = json.readValue(entry.content().readAllBytes(), SnapshotMetadata.class);
        }
      }
    }
    if (!found || metadata == null) {
      throw new ProofFailedException("the archive lacks " + (found ? SnapshotMetadata.METADATA_ENTRY
          : SnapshotMetadata.SNAPSHOT_ENTRY));
    }
    return metadata;
  }

  private static Result compare(SnapshotMetadata metadata, EtcdHost.Status status, String tool, String version) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("restoredWith", tool + " " + version);
    facts.put("keyCount", status.keyCount());
    facts.put("revision", status.revision());
    facts.put("expectedKeyCount", metadata.keyCount());
    facts.put("expectedRevision", metadata.revision());
    facts.put("revisionExact", metadata.revisionExact());
    if (metadata.revisionExact()) {
      if (status.keyCount() != metadata.keyCount() || status.revision() != metadata.revision()) {
        throw new ProofFailedException("the restored member holds " + status.keyCount() + " keys at revision "
            + status.revision() + ", the snapshot's metadata says " + metadata.keyCount() + " keys at revision "
            + metadata.revision());
      }
    } else if (status.revision() < metadata.revision()) {
      throw new ProofFailedException("the restored member is at revision " + status.revision() + ", older than the "
          + metadata.revision() + " read before the snapshot");
    }
    return new Result("restored with " + tool + " " + version + " into a temporary member: " + status.keyCount()
        + " keys at revision " + status.revision() + (metadata.revisionExact() ? ", as the metadata says"
        : " (the metadata's revision " + metadata.revision() + " moved while the snapshot was taken)"), facts);
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.length() > 800 ? text.substring(text.length() - 800) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the temporary etcd member", e);
    }
  }
}
