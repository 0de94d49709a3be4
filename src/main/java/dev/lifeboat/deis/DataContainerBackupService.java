package dev.lifeboat.deis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.archive.ArchiveWriter;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import dev.lifeboat.runbook.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Procedure 004's data containers: {@code docker export} of each container over SSH into one
 * archive (one tar per container, as docker wrote it, and metadata.json with each part's size and
 * sha256) in the backup pipeline's staging. A tar entry needs its size before its bytes, and docker
 * does not say it in advance, so each export passes through a local temporary file (hashed on the
 * way) next to the staging area.
 */
@Service
class DataContainerBackupService {

  /** Variables of a deis-data-containers-backup run. */
  record BackupRun(String runId, String initiator, String host, String credentialRef, String dockerCommand,
      String containers, String notes) {

    List<String> containerNames() {
      String names = containers == null || containers.isBlank() ? ContainerArchive.DEFAULT_CONTAINERS : containers;
      return Arrays.stream(names.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }
  }

  private final RemoteHosts hosts;
  private final BackupPipeline pipeline;
  private final ArchiveProperties archives;
  private final ObjectMapper json;
  private final Clock clock;

  DataContainerBackupService(RemoteHosts hosts, BackupPipeline pipeline, ArchiveProperties archives, ObjectMapper json,
      Clock clock) {
    this.hosts = hosts;
    this.pipeline = pipeline;
    this.archives = archives;
    this.json = json;
    this.clock = clock;
  }

  /** The daemon answers on the host. */
  String check(BackupRun run) {
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      return new Docker(host, run.dockerCommand()).serverVersion();
    }
  }

  StagedArchive export(BackupRun run, StepContext step) throws IOException {
    Instant startedAt = clock.instant();
    try (HostSession host = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      Docker docker = new Docker(host, run.dockerCommand());
      String version = docker.serverVersion();
      String backupId = pipeline.reserveId(startedAt, ContainerArchive.KIND, run.host(), run.runId());
      List<ContainerArchive.Part> parts = new ArrayList<>();
      try (ArchiveStaging staging = pipeline.stage(run.runId());
          ArchiveWriter archive = new ArchiveWriter(staging.out(), archives.gzipLevel(), archives.gzipThreads())) {
        for (String container : run.containerNames()) {
          step.message("exporting " + container + " on " + host.where());
          Path temp = Files.createTempFile("lifeboat-export-", ".tar");
          try {
            MessageDigest sha = Sha256.newDigest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
              docker.export(container, out);
            }
            long size = Files.size(temp);
            String entry = ContainerArchive.entryOf(container);
            try (InputStream in = Files.newInputStream(temp); OutputStream part = archive.entry(entry, size)) {
              in.transferTo(part);
            }
            parts.add(new ContainerArchive.Part(container, entry, size, HexFormat.of().formatHex(sha.digest())));
          } finally {
            Files.deleteIfExists(temp);
          }
        }
        ContainerArchive metadata = new ContainerArchive(ContainerArchive.FORMAT, ContainerArchive.KIND, backupId,
            run.host(), version, parts, startedAt, clock.instant(), run.notes(), run.initiator(), run.runId());
        archive.finishWith(ContainerArchive.METADATA_ENTRY,
            json.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        StagedArchive staged = staging.finish(new BackupDescription(backupId, ContainerArchive.KIND, run.host(),
            json.convertValue(metadata, new TypeReference<>() {}), run.notes(), startedAt, metadata.finishedAt()),
            run.initiator());
        step.message("exported " + parts.size() + " containers from " + host.where() + " (docker " + version + "): "
            + parts.stream().map(p -> p.container() + " " + p.size() + " bytes").toList());
        return staged;
      }
    }
  }
}
