package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.archive.ArchiveWriter;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.remote.RemoteHosts;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.SnapshotResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Takes an etcd snapshot through the Maintenance API and streams it straight into a compressed
 * archive in the backup pipeline's staging, which hashes it on the way, while etcd's own trailing
 * hash is checked: the snapshot is never held in memory and never written twice.
 */
@Service
class EtcdSnapshotService {

  private static final Logger log = LoggerFactory.getLogger(EtcdSnapshotService.class);
  /** A snapshot stream that delivers nothing for this long is considered dead. */
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  interface ProgressListener {
    void bytes(long done, long total);
  }

  /**
   * Who asked and why; recorded in the archive's metadata. {@code copyTo}, when set (an
   * etcd-migration), names the restore's target: the snapshot is sent there as it is archived.
   * {@code gzipLevel} is the run's (checked as a GZIP_LEVEL when it was posted); null means
   * {@code lifeboat.archive.gzip-level}.
   */
  record Request(String endpoints, String snapshotEndpoint, String credentialRef, String notes, String initiator,
      String runId, CopyTo copyTo, Integer gzipLevel) {}

  /** The member a migration restores onto: its host, the SSH credentials, its data directory. */
  record CopyTo(String host, String credentialRef, String dataDir) {}

  private final EtcdConnector connector;
  private final EtcdClusterInspector inspector;
  private final BackupPipeline pipeline;
  private final ArchiveProperties archives;
  private final RemoteHosts hosts;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdSnapshotService(EtcdConnector connector, EtcdClusterInspector inspector, BackupPipeline pipeline,
      ArchiveProperties archives, RemoteHosts hosts, ObjectMapper json, Clock clock) {
    this.connector = connector;
    this.inspector = inspector;
    this.pipeline = pipeline;
    this.archives = archives;
    this.hosts = hosts;
    this.json = json;
    this.clock = clock;
  }

  TakenSnapshot take(Request request, ProgressListener progress) throws IOException {
    String endpoint = request.snapshotEndpoint();
    Instant startedAt = clock.instant();
    try (Client client = connector.connect(List.of(endpoint), request.credentialRef())) {
      // Fresh facts at snapshot time (the check step may have run a while ago, or before a retry).
      ClusterState cluster = inspector.inspect(endpoint, request.credentialRef());
      String backupId = pipeline.reserveId(startedAt, SnapshotMetadata.KIND, cluster.clusterId(), request.runId());
      try (ArchiveStaging staging = pipeline.stage(request.runId());
          ArchiveWriter archive = new ArchiveWriter(staging.out(),
              request.gzipLevel() != null ? request.gzipLevel() : archives.gzipLevel(), archives.gzipThreads());
          SnapshotCopyStream copy = startCopy(request, backupId)) {
        EtcdSnapshotDigest.Result digest = stream(client, endpoint, archive, progress, copy);
        SnapshotOnHost.Copy copied = copy != null && digest.valid() ? finishCopy(copy, digest) : null;
        long revisionAfter = inspector.revision(client, endpoint);
        SnapshotMetadata metadata = new SnapshotMetadata(
            SnapshotMetadata.FORMAT,
            SnapshotMetadata.KIND,
            backupId,
            EtcdConnector.endpoints(request.endpoints()),
            endpoint,
            cluster.clusterId(),
            cluster.members(),
            cluster.version(),
            cluster.revision(),
            cluster.revision() == revisionAfter,
            cluster.keyCount(),
            new SnapshotMetadata.Snapshot(SnapshotMetadata.SNAPSHOT_ENTRY, digest.size(), digest.fileSha256(),
                digest.embeddedHash()),
            startedAt,
            clock.instant(),
            request.notes(),
            request.initiator(),
            request.runId());
        // metadata.json follows snapshot.db: it carries the snapshot's checksums, known only now.
        archive.finishWith(SnapshotMetadata.METADATA_ENTRY, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        if (!digest.valid()) {
          staging.problem("the snapshot's content does not match the sha256 etcd appended to it ("
              + digest.embeddedHash() + "): the stream was damaged");
        }
        StagedArchive staged = staging.finish(EtcdBackups.describe(metadata, json), request.initiator());
        log.info("Snapshot {} of {} staged: {} bytes of snapshot, archive {} bytes, sha256 {}", backupId, endpoint,
            digest.size(), staged.size(), staged.sha256());
        return new TakenSnapshot(staged, metadata, copied, copy == null ? null : copy.problem());
      }
    }
  }

  /** The copy to the restore's target, if the request names one and its host can be reached; never a failure. */
  private SnapshotCopyStream startCopy(Request request, String backupId) {
    CopyTo to = request.copyTo();
    if (to == null || to.host() == null || to.host().isBlank() || to.dataDir() == null || to.dataDir().isBlank()) {
      return null;
    }
    String dir = SnapshotOnHost.uploadDir(to.dataDir(), request.runId());
    try {
      return SnapshotCopyStream.start(hosts.forRun(request.runId(), to.host(), to.credentialRef()), backupId, dir,
          SnapshotOnHost.snapshotPath(dir));
    } catch (RuntimeException e) {
      log.warn("Snapshot {} is not copied to {} as it is taken (the restore will upload it): {}", backupId, to.host(),
          e.getMessage());
      return null;
    }
  }

  private static SnapshotOnHost.Copy finishCopy(SnapshotCopyStream copy, EtcdSnapshotDigest.Result digest) {
    try {
      return copy.finish(digest.fileSha256(), digest.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private EtcdSnapshotDigest.Result stream(Client client, String endpoint, ArchiveWriter archive,
      ProgressListener progress, SnapshotCopyStream copy) throws IOException {
    SnapshotSink sink = new SnapshotSink(archive, progress, copy);
    client.getMaintenanceClient().snapshot(sink);
    try {
      while (true) {
        try {
          return sink.result.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          if (Duration.ofMillis(System.currentTimeMillis() - sink.lastMessageAt.get()).compareTo(STALL_LIMIT) > 0) {
            throw new EtcdException(endpoint + ": the snapshot stream stalled (nothing received for "
                + STALL_LIMIT.toSeconds() + " s)");
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof EtcdException etcd) {
        throw etcd;
      }
      throw new EtcdException(endpoint + ": snapshot failed: " + EtcdClusterInspector.rootMessage(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException(endpoint + ": interrupted while taking the snapshot");
    }
  }

  /**
   * Receives the snapshot stream. etcd announces in every message how many bytes remain, so the
   * first message tells the snapshot's full size, which the tar header needs before the bytes.
   * The stream ends with a message carrying etcd's 32-byte hash of what came before.
   */
  private static final class SnapshotSink implements StreamObserver<SnapshotResponse> {

    final CompletableFuture<EtcdSnapshotDigest.Result> result = new CompletableFuture<>();
    final AtomicLong lastMessageAt = new AtomicLong(System.currentTimeMillis());
    private final ArchiveWriter archive;
    private final ProgressListener progress;
    private final SnapshotCopyStream copy;
    private OutputStream entry;
    private EtcdSnapshotDigest digest;
    private long total;
    private byte[] chunk = new byte[64 * 1024];

    SnapshotSink(ArchiveWriter archive, ProgressListener progress, SnapshotCopyStream copy) {
      this.archive = archive;
      this.progress = progress;
      this.copy = copy;
    }

    @Override
    public void onNext(SnapshotResponse response) {
      if (result.isDone()) {
        return;
      }
      lastMessageAt.set(System.currentTimeMillis());
      try {
        var blob = response.getBlob();
        if (entry == null) {
          total = blob.size() + response.getRemainingBytes() + EtcdSnapshotDigest.HASH_SIZE;
          digest = new EtcdSnapshotDigest(total);
          entry = archive.entry(SnapshotMetadata.SNAPSHOT_ENTRY, total);
        }
        // One copy into an array we keep: a read-only buffer would make the digest copy it 4 KiB at a time.
        int size = blob.size();
        if (chunk.length < size) {
          chunk = new byte[size];
        }
        blob.copyTo(chunk, 0);
        digest.update(chunk, 0, size);
        entry.write(chunk, 0, size);
        if (copy != null) {
          copy.write(blob);
        }
        progress.bytes(digest.position(), total);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      if (result.isDone()) {
        return;
      }
      try {
        if (entry == null) {
          throw new EtcdException("etcd sent an empty snapshot");
        }
        EtcdSnapshotDigest.Result finished = digest.finish();
        entry.close();
        result.complete(finished);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }
}
