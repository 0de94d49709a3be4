package dev.lifeboat.deis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchiveProperties;
import dev.lifeboat.archive.ArchiveWriter;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.objectstore.ObjectInfo;
import dev.lifeboat.objectstore.ObjectPage;
import dev.lifeboat.objectstore.ObjectStore;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.objectstore.ObjectTransfers;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.commons.io.output.CountingOutputStream;
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

  /** What the check found: the cluster's identity, its buckets, and the backup id reserved for this run. */
  record Checked(String source, String backupId, Instant startedAt, List<String> buckets) {}

  /** The buckets' objects: the listing itself is a body (it can be long), the counts are variables. */
  record Copied(String listingSha256, int objectCount, long objectBytes, int downloaded, long downloadedBytes,
      int reused, List<DeisStoreManifest.Bucket> buckets) {}

  /**
   * Objects and bytes copied, and those listed so far: the totals grow page by page and are final
   * once {@code listed} says so (the listing is not read twice just to know them ahead).
   */
  interface Progress {
    void objects(long objectsDone, long bytesDone, long objectsListed, long bytesListed, boolean listed);
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
    try (HostSession session = hosts.forRun(request.runId(), request.host(), request.credentialRef())) {
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
      // Existence only: counting the objects would list every bucket twice (the copy lists them),
      // and listing is what a gateway with many objects is slowest at.
      try (ObjectStore store = openGateway(request, host)) {
        for (String bucket : request.bucketNames()) {
          if (!store.bucketExists(bucket)) {
            throw new IllegalStateException("the store gateway at " + request.gatewayEndpoint() + " has no bucket '"
                + bucket + "'");
          }
        }
      }
      String backupId = pipeline.reserveId(startedAt, DeisStoreManifest.KIND, domain, request.runId());
      return new Checked(domain, backupId, startedAt, request.bucketNames());
    }
  }

  /**
   * Copies every object of every bucket into bodies, {@code parallelism} at a time, one listing
   * page (up to 1,000 objects) after another, so memory holds one page whatever the bucket's size.
   * An object the last backup of this cluster held with the same key, size and ETag, whose body is
   * still there, is referenced again without being downloaded. The listing (every object with its
   * sha256 and md5, in the gateway's order) is written as it goes into a body of its own.
   */
  Copied copyBuckets(Request request, Checked checked, Progress progress) throws IOException {
    Optional<Backup> last = lastSet(checked.source());
    CopyTally tally = new CopyTally(progress);
    DeisStoreBodies.Body listing;
    try (HostSession session = hosts.forRun(request.runId(), request.host(), request.credentialRef());
        ObjectStore store = openGateway(request, host(session, request))) {
      listing = bodies.write(request.runId(), out -> {
        try (JsonGenerator objects = json.getFactory().createGenerator(out)) {
          objects.writeStartArray();
          List<String> buckets = request.bucketNames();
          for (String bucket : buckets) {
            boolean lastBucket = bucket.equals(buckets.getLast());
            try (DeisStoreObjectCursor previous = last.isPresent()
                ? DeisStoreObjectCursor.open(backups.openPlaintext(last.get().id()), last.get().id(), bucket, json)
                : DeisStoreObjectCursor.empty()) {
              copyBucket(request, store, bucket, lastBucket, previous, tally, objects);
            }
          }
          objects.writeEndArray();
        }
        if (!tally.failures.isEmpty()) {
          var first = tally.failures.entrySet().iterator().next();
          throw new IOException(tally.failed + " object(s) could not be copied, e.g. " + first.getKey() + ": "
              + first.getValue());
        }
      });
    }
    int downloaded = tally.objects - tally.reused.get();
    log.info("Deis store {}: {} objects ({} bytes), {} downloaded ({} bytes), {} held already", checked.source(),
        tally.objects, tally.bytes, downloaded, tally.downloadedBytes.get(), tally.reused.get());
    return new Copied(listing.sha256(), tally.objects, tally.bytes, downloaded, tally.downloadedBytes.get(),
        tally.reused.get(), List.copyOf(tally.buckets));
  }

  private void copyBucket(Request request, ObjectStore store, String bucket, boolean lastBucket,
      DeisStoreObjectCursor previous, CopyTally tally, JsonGenerator listing) throws IOException {
    int count = 0;
    long bytes = 0;
    String token = null;
    do {
      ObjectPage page = store.list(bucket, "", token);
      List<ObjectInfo> listed = page.objects().stream().filter(o -> !o.key().endsWith("/")).toList();
      tally.listed(listed, lastBucket && page.nextPageToken() == null);
      DeisStoreManifest.StoredObject[] copied = new DeisStoreManifest.StoredObject[listed.size()];
      for (int i = 0; i < listed.size(); i++) {
        ObjectInfo object = listed.get(i);
        DeisStoreManifest.StoredObject before = previous.find(object.key());
        if (before != null && before.size() == object.size() && before.etag() != null
            && before.etag().equals(object.etag())) {
          copied[i] = before; // if its body is still held
        }
      }
      Set<String> held = bodies.held(Arrays.stream(copied).filter(Objects::nonNull)
          .map(DeisStoreManifest.StoredObject::sha256).toList());
      List<Integer> toDownload = new ArrayList<>();
      for (int i = 0; i < listed.size(); i++) {
        if (copied[i] != null && held.contains(copied[i].sha256())) {
          tally.reused.incrementAndGet();
          tally.done(copied[i].size());
        } else {
          copied[i] = null;
          toDownload.add(i);
        }
      }
      ObjectTransfers.Report report = ObjectTransfers.each(toDownload, i -> listed.get(i).key(),
          objectStores.parallelism(), i -> {
            copied[i] = download(request, store, bucket, listed.get(i));
            tally.downloadedBytes.addAndGet(copied[i].size());
            tally.done(copied[i].size());
            return copied[i].size();
          });
      report.failures().forEach((key, reason) -> tally.failed(bucket + "/" + key, reason));
      List<String> written = toDownload.stream().map(i -> copied[i]).filter(Objects::nonNull)
          .map(DeisStoreManifest.StoredObject::sha256).toList();
      Set<String> kept = bodies.held(written);
      for (int i : toDownload) {
        if (copied[i] != null && !kept.contains(copied[i].sha256())) {
          tally.failed(bucket + "/" + copied[i].key(), "its body was removed by a sweep while the page was copied;"
              + " run the backup again");
          copied[i] = null;
        }
      }
      for (DeisStoreManifest.StoredObject object : copied) {
        if (object != null) {
          json.writeValue(listing, object);
          count++;
          bytes += object.size();
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    tally.bucket(new DeisStoreManifest.Bucket(bucket, count, bytes));
  }

  private DeisStoreManifest.StoredObject download(Request request, ObjectStore store, String bucket, ObjectInfo object)
      throws IOException {
    DeisStoreBodies.Body body = bodies.writeClaimingLater(request.runId(), out -> {
      try (InputStream in = store.get(bucket, object.key())) {
        in.transferTo(out);
      }
    });
    if (body.size() != object.size()) {
      throw new IOException("received " + body.size() + " bytes, the listing said " + object.size());
    }
    String md5 = object.md5();
    if (md5 != null && !md5.equals(body.md5())) {
      throw new IOException("received bytes with MD5 " + body.md5() + ", the gateway's ETag is " + md5
          + " (the object changed or was damaged in transit; run the backup again)");
    }
    return new DeisStoreManifest.StoredObject(bucket, object.key(), object.size(), object.etag(), body.sha256(),
        body.md5());
  }

  /** Counts across pages and worker threads; keeps the first few failures (all of them could be many). */
  private static final class CopyTally {
    private static final int FAILURES_KEPT = 20;
    final AtomicInteger reused = new AtomicInteger();
    final AtomicLong downloadedBytes = new AtomicLong();
    final Map<String, String> failures = new LinkedHashMap<>();
    final List<DeisStoreManifest.Bucket> buckets = new ArrayList<>();
    private final AtomicLong objectsDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final Progress progress;
    private volatile long objectsListed;
    private volatile long bytesListed;
    private volatile boolean listingComplete;
    int objects;
    long bytes;
    int failed;

    CopyTally(Progress progress) {
      this.progress = progress;
    }

    void listed(List<ObjectInfo> page, boolean complete) {
      objectsListed += page.size();
      bytesListed += page.stream().mapToLong(ObjectInfo::size).sum();
      listingComplete = complete;
    }

    void done(long size) {
      progress.objects(objectsDone.incrementAndGet(), bytesDone.addAndGet(size), objectsListed, bytesListed,
          listingComplete);
    }

    void failed(String name, String reason) {
      failed++;
      if (failures.size() < FAILURES_KEPT) {
        failures.put(name, reason);
      }
    }

    void bucket(DeisStoreManifest.Bucket bucket) {
      buckets.add(bucket);
      objects += bucket.objectCount();
      bytes += bucket.objectBytes();
    }
  }

  /**
   * {@code tar cpzf - .} in the store volume, streamed into a body. GNU tar exits 1 when a file
   * changed while it was read (the logs are being written to): the archive is complete, the
   * warning is kept. Any other failure fails the step.
   */
  DeisStoreManifest.Part copyVolume(Request request, Consumer<String> stderr, Consumer<Long> bytes)
      throws IOException {
    List<String> warnings = new ArrayList<>();
    try (HostSession session = hosts.forRun(request.runId(), request.host(), request.credentialRef())) {
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
    try (HostSession session = hosts.forRun(request.runId(), request.host(), request.credentialRef())) {
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

  /**
   * The set: a staged archive holding manifest.json, for the pipeline to verify, store and
   * catalogue. The manifest is written to a temporary file first (its tar entry needs its size),
   * the objects streamed into it from the listing, never all in memory.
   */
  StagedArchive writeManifest(Request request, Checked checked, Copied copied, DeisStoreManifest.Part volume,
      DeisStoreManifest.Part database) throws IOException {
    List<DeisStoreManifest.Bucket> buckets = copied.buckets();
    Instant finishedAt = clock.instant();
    // The distinct bodies the set references (names only, not the objects' records).
    Set<String> referenced = new HashSet<>(List.of(volume.sha256(), database.sha256()));
    Path manifestFile = Files.createTempFile("lifeboat-deis-manifest-", ".json");
    try {
      try (OutputStream file = Files.newOutputStream(manifestFile);
          JsonGenerator manifest = json.getFactory().createGenerator(file).useDefaultPrettyPrinter()) {
        manifest.writeStartObject();
        field(manifest, "format", DeisStoreManifest.FORMAT);
        field(manifest, "kind", DeisStoreManifest.KIND);
        field(manifest, "backupId", checked.backupId());
        field(manifest, "source", checked.source());
        field(manifest, "host", request.host());
        field(manifest, "gatewayEndpoint", request.gatewayEndpoint());
        field(manifest, "buckets", buckets);
        manifest.writeFieldName("objects");
        manifest.writeStartArray();
        try (InputStream listing = bodies.open(copied.listingSha256());
            JsonParser objects = advance(json.getFactory().createParser(listing))) {
          while (objects.nextToken() == JsonToken.START_OBJECT) {
            DeisStoreManifest.StoredObject object = json.readValue(objects, DeisStoreManifest.StoredObject.class);
            referenced.add(object.sha256());
            json.writeValue(manifest, object);
          }
        }
        manifest.writeEndArray();
        field(manifest, "storeVolume", volume);
        field(manifest, "database", database);
        field(manifest, "startedAt", checked.startedAt());
        field(manifest, "finishedAt", finishedAt);
        field(manifest, "notes", request.notes());
        field(manifest, "createdBy", request.initiator());
        field(manifest, "runId", request.runId());
        manifest.writeEndObject();
      }
      // Recorded before the set is catalogued, and every body claimed again and checked to be there:
      // from here on a sweep keeps them (see BodyLedger).
      bodies.reference(checked.backupId(), referenced);
      try (ArchiveStaging staging = pipeline.stage(request.runId());
          ArchiveWriter archive = new ArchiveWriter(staging.out(), archives.gzipLevel())) {
        try (OutputStream entry = archive.entry(DeisStoreManifest.ENTRY, Files.size(manifestFile))) {
          Files.copy(manifestFile, entry);
        }
        archive.finish();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("format", DeisStoreManifest.FORMAT);
        metadata.put("host", request.host());
        metadata.put("gatewayEndpoint", request.gatewayEndpoint());
        List<String> parts = new ArrayList<>();
        buckets.forEach(b -> parts.add("buckets/" + b.name() + "/: " + b.objectCount() + " objects, "
            + b.objectBytes() + " bytes"));
        parts.add(DeisStoreManifest.VOLUME_ENTRY + ": " + volume.size() + " bytes" + (volume.warnings().isEmpty() ? ""
            : " (tar warned: " + String.join("; ", volume.warnings()) + ")"));
        parts.add(DeisStoreManifest.DATABASE_ENTRY + ": " + database.size() + " bytes");
        metadata.put("parts", parts);
        metadata.put("buckets", buckets);
        metadata.put("objectCount", copied.objectCount());
        metadata.put("objectBytes", copied.objectBytes());
        metadata.put("storeVolume", volume);
        metadata.put("database", database);
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = json.convertValue(metadata, Map.class);
        return staging.finish(new BackupDescription(checked.backupId(), DeisStoreManifest.KIND, checked.source(), asMap,
            request.notes(), checked.startedAt(), finishedAt), request.initiator());
      }
    } finally {
      Files.deleteIfExists(manifestFile);
    }
  }

  private void field(JsonGenerator generator, String name, Object value) throws IOException {
    generator.writeFieldName(name);
    json.writeValue(generator, value);
  }

  private static JsonParser advance(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_ARRAY) {
      throw new IOException("the object listing is not a JSON array");
    }
    return parser;
  }

  /** The manifest of a catalogued set. */
  DeisStoreManifest manifest(Backup backup) throws IOException {
    try (InputStream in = backups.openPlaintext(backup.id())) {
      return json.readValue(DeisStoreManifest.bytesOf(in, backup.id()), DeisStoreManifest.class);
    }
  }

  /** The newest catalogued set of this cluster, whose objects a new backup need not download again. */
  private Optional<Backup> lastSet(String source) {
    return catalog.list(DeisStoreManifest.KIND, 200, 0).stream().filter(b -> b.source().equals(source)).findFirst();
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

  /** {@code out}, telling {@code bytes} how many have passed after every write. */
  private static OutputStream counting(OutputStream out, Consumer<Long> bytes) {
    return new CountingOutputStream(out) {
      @Override
      protected void afterWrite(int n) throws IOException {
        super.afterWrite(n);
        bytes.accept(getByteCount());
      }
    };
  }
}
