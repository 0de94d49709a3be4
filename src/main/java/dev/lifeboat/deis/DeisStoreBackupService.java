package dev.lifeboat.deis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.archive.ArchiveWriter;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.objectstore.ObjectStore;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.objectstore.ObjectTransfers;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Procedure 003's backup: the gateway's buckets through the S3 API, the store volume as
 * {@code tar cpzf - .} over SSH, {@code pg_dumpall} through {@code docker exec}; every part is a
 * body stored by content, and the set is a small archive holding {@code manifest.json}.
 */
@Service
class DeisStoreBackupService {

  private static final Logger log = LoggerFactory.getLogger(DeisStoreBackupService.class);
  private static final Duration STREAM_TIMEOUT = Duration.ofHours(6);

  /** What a run was asked to do (its parameters). */
  record Request(String runId, String initiator, String host, String credentialRef, String gatewayEndpoint,
      String gatewayCredentialRef, String deisctlCommand, String dockerCommand, String storeVolumePath,
      String buckets, String databaseContainer, String notes) {

    List<String> bucketNames() {
      List<String> names = new ArrayList<>();
      for (String name : (buckets == null || buckets.isBlank() ? "db_wal,registry" : buckets).split(",")) {
        if (!name.isBlank()) {
          names.add(name.strip());
        }
      }
      return names;
    }
  }

  /** What the check found: the cluster's identity and the backup id reserved for this run. */
  record Checked(String source, String backupId, Instant startedAt, List<DeisStoreManifest.Bucket> buckets) {}

  /** The buckets' objects: the listing itself is a body (it can be long), the counts are variables. */
  record Copied(String listingSha256, int objectCount, long objectBytes, int downloaded, long downloadedBytes,
      int reused) {}

  interface Progress {
    void objects(long objectsDone, long objectsTotal, long bytesDone, long bytesTotal);
  }

  private final RemoteHosts hosts;
  private final ObjectStores objectStores;
  private final DeisStoreBodies bodies;
  private final BackupPipeline pipeline;
  private final BackupCatalog catalog;
  private final BackupService backups;
  private final ArchiveProperties archives;
  private final ObjectMapper json;
  private final Clock clock;

  DeisStoreBackupService(RemoteHosts hosts, ObjectStores objectStores, DeisStoreBodies bodies, BackupPipeline pipeline,
      BackupCatalog catalog, BackupService backups, ArchiveProperties archives, ObjectMapper json, Clock clock) {
    this.backups = backups;
    this.archives = archives;
    this.hosts = hosts;
    this.objectStores = objectStores;
    this.bodies = bodies;
    this.pipeline = pipeline;
    this.catalog = catalog;
    this.json = json;
    this.clock = clock;
  }

  /** The platform's domain is the cluster's identity; every bucket must exist; the volume must be a directory. */
  Checked check(Request request) throws IOException {
    Instant startedAt = clock.instant();
    try (HostSession session = hosts.connect(request.host(), request.credentialRef())) {
      DeisStoreHost host = host(session, request);
      String domain = host.config("platform", "domain");
      if (domain.isBlank()) {
        throw new IllegalStateException("the cluster on " + host.where() + " has no platform domain"
            + " (deisctl config platform get domain printed nothing)");
      }
      var volume = session.run(Command.of("test", "-d", request.storeVolumePath()));
      if (volume.exitStatus() != 0) {
        throw new IllegalStateException("the store volume " + request.storeVolumePath() + " is not a directory on "
            + host.where());
      }
      List<DeisStoreManifest.Bucket> buckets = new ArrayList<>();
      try (ObjectStore store = openGateway(request, host)) {
        for (String bucket : request.bucketNames()) {
          if (!store.bucketExists(bucket)) {
            throw new IllegalStateException("the store gateway at " + request.gatewayEndpoint() + " has no bucket '"
                + bucket + "'");
          }
          int count = 0;
          long bytes = 0;
          String token = null;
          do {
            var page = store.list(bucket, "", token);
            for (var object : page.objects()) {
              count++;
              bytes += object.size();
            }
            token = page.nextPageToken();
          } while (token != null);
          buckets.add(new DeisStoreManifest.Bucket(bucket, count, bytes));
        }
      }
      String backupId = pipeline.reserveId(startedAt, DeisStoreManifest.KIND, domain, request.runId());
      return new Checked(domain, backupId, startedAt, buckets);
    }
  }

  /**
   * Copies every object of every bucket into bodies, {@code parallelism} at a time. An object the
   * last backup of this cluster held with the same key, size and ETag, whose body is still there,
   * is referenced again without being downloaded.
   */
  Copied copyBuckets(Request request, Checked checked, Progress progress) throws IOException {
    Map<String, DeisStoreManifest.StoredObject> held = previousObjects(checked.source());
    long objectsTotal = checked.buckets().stream().mapToLong(DeisStoreManifest.Bucket::objectCount).sum();
    long bytesTotal = checked.buckets().stream().mapToLong(DeisStoreManifest.Bucket::objectBytes).sum();
    ConcurrentLinkedQueue<DeisStoreManifest.StoredObject> copied = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    AtomicLong doneBytes = new AtomicLong();
    AtomicInteger reused = new AtomicInteger();
    AtomicLong downloadedBytes = new AtomicLong();
    Map<String, String> failures = new LinkedHashMap<>();
    try (HostSession session = hosts.connect(request.host(), request.credentialRef());
        ObjectStore store = openGateway(request, host(session, request))) {
      for (String bucket : request.bucketNames()) {
        ObjectTransfers.Report report = ObjectTransfers.forEach(store, bucket, "", objectStores.parallelism(),
            object -> {
              DeisStoreManifest.StoredObject before = held.get(bucket + "/" + object.key());
              long transferred = 0;
              DeisStoreManifest.StoredObject now;
              if (before != null && before.size() == object.size() && before.etag() != null
                  && before.etag().equals(object.etag()) && bodies.holds(before.sha256())) {
                now = before;
                reused.incrementAndGet();
              } else {
                DeisStoreBodies.Body body = bodies.write(request.runId(), out -> {
                  try (InputStream in = store.get(bucket, object.key())) {
                    in.transferTo(out);
                  }
                });
                if (body.size() != object.size()) {
                  throw new IOException("received " + body.size() + " bytes, the listing said " + object.size());
                }
                now = new DeisStoreManifest.StoredObject(bucket, object.key(), object.size(), object.etag(),
                    body.sha256(), body.md5());
                transferred = body.size();
                downloadedBytes.addAndGet(body.size());
              }
              copied.add(now);
              progress.objects(done.incrementAndGet(), objectsTotal, doneBytes.addAndGet(object.size()), bytesTotal);
              return transferred;
            });
        report.failures().forEach((key, reason) -> failures.put(bucket + "/" + key, reason));
      }
    }
    if (!failures.isEmpty()) {
      var first = failures.entrySet().iterator().next();
      throw new IOException(failures.size() + " object(s) could not be copied, e.g. " + first.getKey() + ": "
          + first.getValue());
    }
    List<DeisStoreManifest.StoredObject> objects = new ArrayList<>(copied);
    objects.sort(Comparator.comparing(DeisStoreManifest.StoredObject::bucket)
        .thenComparing(DeisStoreManifest.StoredObject::key));
    byte[] listing = json.writeValueAsBytes(objects);
    DeisStoreBodies.Body body = bodies.write(request.runId(), out -> out.write(listing));
    long bytes = objects.stream().mapToLong(DeisStoreManifest.StoredObject::size).sum();
    int downloaded = objects.size() - reused.get();
    log.info("Deis store {}: {} objects ({} bytes), {} downloaded ({} bytes), {} held already", checked.source(),
        objects.size(), bytes, downloaded, downloadedBytes.get(), reused.get());
    return new Copied(body.sha256(), objects.size(), bytes, downloaded, downloadedBytes.get(), reused.get());
  }

  /**
   * {@code tar cpzf - .} in the store volume, streamed into a body. GNU tar exits 1 when a file
   * changed while it was read (the logs are being written to): the archive is complete, the
   * warning is kept. Any other failure fails the step.
   */
  DeisStoreManifest.Part copyVolume(Request request, Consumer<String> stderr, Consumer<Long> bytes)
      throws IOException {
    List<String> warnings = new ArrayList<>();
    try (HostSession session = hosts.connect(request.host(), request.credentialRef())) {
      DeisStoreHost host = host(session, request);
      CommandResult[] result = new CommandResult[1];
      DeisStoreBodies.Body body = bodies.write(request.runId(), out -> result[0] = host.tarVolume(
          request.storeVolumePath(), STREAM_TIMEOUT, counting(out, bytes), line -> {
            warnings.add(line);
            stderr.accept(line);
          }));
      int status = result[0].exitStatus();
      if (status != 0 && !(status == 1 && result[0].stderr().contains("file changed as we read it"))) {
        throw new IOException("tar of " + request.storeVolumePath() + " on " + host.where() + " failed (exit " + status
            + "): " + result[0].stderr().strip());
      }
      return new DeisStoreManifest.Part(DeisStoreManifest.VOLUME_ENTRY, host.where() + ":" + request.storeVolumePath(),
          body.sha256(), body.size(), List.copyOf(warnings));
    }
  }

  /** {@code docker exec <container> sudo -u postgres pg_dumpall}, streamed into a body; any non-zero exit fails. */
  DeisStoreManifest.Part dumpDatabase(Request request, Consumer<String> stderr, Consumer<Long> bytes)
      throws IOException {
    try (HostSession session = hosts.connect(request.host(), request.credentialRef())) {
      DeisStoreHost host = host(session, request);
      CommandResult[] result = new CommandResult[1];
      DeisStoreBodies.Body body = bodies.write(request.runId(), out -> result[0] = host.dumpAll(
          request.databaseContainer(), STREAM_TIMEOUT, counting(out, bytes), stderr::accept));
      if (result[0].exitStatus() != 0) {
        throw new IOException("pg_dumpall in " + request.databaseContainer() + " on " + host.where() + " failed (exit "
            + result[0].exitStatus() + "): " + result[0].stderr().strip());
      }
      if (body.size() == 0) {
        throw new IOException("pg_dumpall in " + request.databaseContainer() + " on " + host.where() + " wrote nothing");
      }
      return new DeisStoreManifest.Part(DeisStoreManifest.DATABASE_ENTRY,
          host.where() + ": docker exec " + request.databaseContainer(), body.sha256(), body.size(), List.of());
    }
  }

  /** The set: a staged archive holding manifest.json, for the pipeline to verify, store and catalogue. */
  StagedArchive writeManifest(Request request, Checked checked, Copied copied, DeisStoreManifest.Part volume,
      DeisStoreManifest.Part database) throws IOException {
    List<DeisStoreManifest.StoredObject> objects;
    try (InputStream in = bodies.open(copied.listingSha256())) {
      objects = json.readValue(in, new TypeReference<>() {});
    }
    List<DeisStoreManifest.Bucket> buckets = new ArrayList<>();
    for (String name : request.bucketNames()) {
      List<DeisStoreManifest.StoredObject> of = objects.stream().filter(o -> o.bucket().equals(name)).toList();
      buckets.add(new DeisStoreManifest.Bucket(name, of.size(),
          of.stream().mapToLong(DeisStoreManifest.StoredObject::size).sum()));
    }
    DeisStoreManifest manifest = new DeisStoreManifest(DeisStoreManifest.FORMAT, DeisStoreManifest.KIND,
        checked.backupId(), checked.source(), request.host(), request.gatewayEndpoint(), buckets, objects, volume,
        database, checked.startedAt(), clock.instant(), request.notes(), request.initiator(), request.runId());
    // Recorded before the set is catalogued, and every body claimed again and checked to be there:
    // from here on a sweep keeps them (see BodyLedger).
    bodies.reference(checked.backupId(), DeisStoreBodySweep.bodies(manifest));
    try (ArchiveStaging staging = pipeline.stage(request.runId());
        ArchiveWriter archive = new ArchiveWriter(staging.out(), archives.gzipLevel())) {
      archive.finishWith(DeisStoreManifest.ENTRY, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("format", DeisStoreManifest.FORMAT);
      metadata.put("host", request.host());
      metadata.put("gatewayEndpoint", request.gatewayEndpoint());
      List<String> parts = new ArrayList<>();
      buckets.forEach(b -> parts.add("buckets/" + b.name() + "/: " + b.objectCount() + " objects, " + b.objectBytes()
          + " bytes"));
      parts.add(DeisStoreManifest.VOLUME_ENTRY + ": " + volume.size() + " bytes" + (volume.warnings().isEmpty() ? ""
          : " (tar warned: " + String.join("; ", volume.warnings()) + ")"));
      parts.add(DeisStoreManifest.DATABASE_ENTRY + ": " + database.size() + " bytes");
      metadata.put("parts", parts);
      metadata.put("buckets", buckets);
      metadata.put("objectCount", manifest.objectCount());
      metadata.put("objectBytes", manifest.objectBytes());
      metadata.put("storeVolume", volume);
      metadata.put("database", database);
      @SuppressWarnings("unchecked")
      Map<String, Object> asMap = json.convertValue(metadata, Map.class);
      return staging.finish(new BackupDescription(checked.backupId(), DeisStoreManifest.KIND, checked.source(), asMap,
          request.notes(), checked.startedAt(), manifest.finishedAt()), request.initiator());
    }
  }

  /** The manifest of a catalogued set. */
  DeisStoreManifest manifest(Backup backup) throws IOException {
    try (InputStream in = backups.openPlaintext(backup.id())) {
      return json.readValue(DeisStoreAssembler.manifestBytes(backup, in), DeisStoreManifest.class);
    }
  }

  /** The objects of the newest catalogued set of this cluster, by bucket/key; empty if there is none. */
  private Map<String, DeisStoreManifest.StoredObject> previousObjects(String source) throws IOException {
    Optional<Backup> last = catalog.list(DeisStoreManifest.KIND, 200, 0).stream()
        .filter(b -> b.source().equals(source)).findFirst();
    Map<String, DeisStoreManifest.StoredObject> held = new HashMap<>();
    if (last.isPresent()) {
      for (DeisStoreManifest.StoredObject object : manifest(last.get()).objects()) {
        held.put(object.bucket() + "/" + object.key(), object);
      }
    }
    return held;
  }

  private ObjectStore openGateway(Request request, DeisStoreHost host) {
    return host.openGateway(objectStores, request.gatewayEndpoint(), request.gatewayCredentialRef());
  }

  private static DeisStoreHost host(HostSession session, Request request) {
    return new DeisStoreHost(session, orDefault(request.deisctlCommand(), "deisctl"),
        orDefault(request.dockerCommand(), "docker"));
  }

  static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static OutputStream counting(OutputStream out, Consumer<Long> bytes) {
    return new FilterOutputStream(out) {
      private long count;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
        bytes.accept(count);
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        bytes.accept(++count);
      }
    };
  }
}
