package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.runbook.StepOutcomeException;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.springframework.stereotype.Service;

/**
 * Takes a logical dump of a cluster's keys ({@link EtcdDump}) straight into the backup pipeline's
 * staging: v3 keys paged at one revision, the v2 key space when asked. Nothing is held in memory
 * but one page (and, for v2, one listing: the v2 API does not page).
 */
@Service
class EtcdDumpService {

  /** Variables of an etcd-dump run. */
  record DumpRequest(String runId, String initiator, String endpoints, String credentialRef, String prefix,
      String keySpaces, String hiddenRoots, String notes) {

    List<String> spaces() {
      List<String> spaces = new ArrayList<>();
      for (String part : (keySpaces == null || keySpaces.isBlank() ? EtcdDump.V3 : keySpaces).split(",")) {
        String space = part.strip().toLowerCase();
        if (space.isEmpty()) {
          continue;
        }
        if (!space.equals(EtcdDump.V3) && !space.equals(EtcdDump.V2)) {
          throw new IllegalArgumentException("keySpaces '" + keySpaces + "': give v3, v2 or v2,v3");
        }
        if (!spaces.contains(space)) {
          spaces.add(space);
        }
      }
      return spaces.stream().sorted((a, b) -> b.compareTo(a)).toList(); // v3 first, then v2
    }

    List<String> hidden() {
      return hiddenRoots == null ? List.of()
          : Arrays.stream(hiddenRoots.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  /** The staged dump and what it holds. */
  record TakenDump(StagedArchive archive, long keyCount, long revision, Map<String, Long> keyCounts) {}

  private final EtcdConnector connector;
  private final EtcdClusterInspector inspector;
  private final EtcdKeyReader reader;
  private final BackupPipeline pipeline;
  private final ArchiveProperties archives;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdDumpService(EtcdConnector connector, EtcdClusterInspector inspector, EtcdKeyReader reader,
      BackupPipeline pipeline, ArchiveProperties archives, ObjectMapper json, Clock clock) {
    this.connector = connector;
    this.inspector = inspector;
    this.reader = reader;
    this.pipeline = pipeline;
    this.archives = archives;
    this.json = json;
    this.clock = clock;
  }

  static final String REFUSED = "DUMP_REFUSED";

  /**
   * What can be known before the dump: the cluster answers, the key spaces are v3/v2, and a cluster
   * asked for v2 serves it. A refusal ends the run at once instead of retrying.
   */
  ClusterState check(DumpRequest request) throws IOException {
    List<String> spaces;
    try {
      spaces = request.spaces();
    } catch (IllegalArgumentException e) {
      throw new StepOutcomeException(REFUSED, e.getMessage());
    }
    ClusterState cluster = inspector.inspect(request.endpoints(), request.credentialRef());
    if (spaces.contains(EtcdDump.V2)) {
      try {
        reader.probeV2(cluster.snapshotEndpoint(), request.credentialRef());
      } catch (EtcdException e) {
        throw new StepOutcomeException(REFUSED, e.getMessage());
      }
    }
    return cluster;
  }

  TakenDump take(DumpRequest request, EtcdSnapshotService.ProgressListener progress) throws IOException {
    List<String> spaces = request.spaces();
    Instant startedAt = clock.instant();
    ClusterState cluster = inspector.inspect(request.endpoints(), request.credentialRef());
    String endpoint = cluster.snapshotEndpoint();
    String prefix = request.prefix() == null ? "" : request.prefix();
    String backupId = pipeline.reserveId(startedAt, EtcdDump.KIND, cluster.clusterId(), request.runId());
    try (Client client = connector.connect(List.of(endpoint), request.credentialRef());
        ArchiveStaging staging = pipeline.stage(request.runId())) {
      long revision = inspector.revision(client, endpoint);
      OutputStream gzip = new GZIPOutputStream(staging.out(), 1 << 16) {
        {
          def.setLevel(archives.gzipLevel());
        }
      };
      EtcdDump.Writer writer = new EtcdDump.Writer(gzip, json);
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("backupId", backupId);
      header.put("clusterId", cluster.clusterId());
      header.put("etcdVersion", cluster.version());
      header.put("revision", revision);
      header.put("endpoint", endpoint);
      header.put("prefix", prefix);
      header.put("keySpaces", spaces);
      header.put("takenAt", startedAt.toString());
      writer.header(header);
      long leases = 0;
      long[] written = {0};
      if (spaces.contains(EtcdDump.V3)) {
        leases = reader.readV3(client, endpoint, prefix, revision, key -> {
          writer.v3(key);
          progress.bytes(++written[0], cluster.keyCount());
        });
      }
      EtcdKeyReader.V2Read v2 = null;
      if (spaces.contains(EtcdDump.V2)) {
        v2 = reader.readV2(endpoint, request.credentialRef(), prefix, request.hidden(), writer::v2);
      }
      Map<String, Object> trailer = new LinkedHashMap<>();
      trailer.put("leases", leases);
      if (v2 != null) {
        trailer.put("v2Index", v2.index());
        trailer.put("hiddenRoots", v2.hiddenRootsFound());
      }
      writer.trailer(trailer);
      gzip.close();
      Instant finishedAt = clock.instant();
      EtcdDump.Digest digest = writer.digest();
      Map<String, Long> counts = new LinkedHashMap<>();
      Map<String, String> digests = new LinkedHashMap<>();
      for (String space : spaces) {
        counts.put(space, space.equals(EtcdDump.V3) ? digest.v3Count() : digest.v2Count());
        digests.put(space, space.equals(EtcdDump.V3) ? digest.v3() : digest.v2());
      }
      long keyCount = counts.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Object> metadata = new LinkedHashMap<>(header);
      metadata.put("format", EtcdDump.FORMAT);
      metadata.put("kind", EtcdDump.KIND);
      metadata.put("endpoints", EtcdConnector.endpoints(request.endpoints()));
      metadata.put("members", cluster.members());
      metadata.put("keyCount", keyCount);
      metadata.put("keyCounts", counts);
      metadata.put("digests", digests);
      metadata.put("leases", leases);
      if (v2 != null) {
        metadata.put("v2Index", v2.index());
        metadata.put("hiddenRoots", v2.hiddenRootsFound());
      }
      metadata.put("startedAt", startedAt.toString());
      metadata.put("finishedAt", finishedAt.toString());
      metadata.put("notes", request.notes());
      metadata.put("createdBy", request.initiator());
      metadata.put("runId", request.runId());
      StagedArchive staged = staging.finish(new BackupDescription(backupId, EtcdDump.KIND, cluster.clusterId(),
          metadata, request.notes(), startedAt, finishedAt), request.initiator());
      return new TakenDump(staged, keyCount, revision, counts);
    }
  }
}
