package dev.lifeboat.deis;

import dev.lifeboat.approval.Evidence.PlannedCommand;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.objectstore.ObjectInfo;
import dev.lifeboat.objectstore.ObjectStore;
import dev.lifeboat.objectstore.ObjectStores;
import dev.lifeboat.objectstore.ObjectTransfers;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostAddress;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.springframework.stereotype.Component;

/**
 * The Deis store's part of the restore skeleton, procedure 003's "Restoring" in its order: on a
 * new cluster, install the platform, start only the store components (each confirmed running
 * with {@code deisctl list}: deisctl exits 0 when a unit fails), a router with a larger body
 * size, read the new gateway keys; after the approval create the buckets, upload and verify every
 * object, put the store volume back with owners, start the platform and have the controller
 * re-write keys, apps and domains to etcd.
 */
@Component
class DeisStoreRestoreTarget implements RestoreTarget<DeisStoreRestore, DeisStorePlan> {

  static final String DB_WAL_WARNING = "db_wal is the database: on first boot the database fetches its latest base"
      + " backup and WAL from it (wal-e backup-fetch LATEST); pg_dumpall.sql is a side copy and is not loaded";
  private static final Duration UNIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(500);

  private final RemoteHosts hosts;
  private final BackupCatalog catalog;
  private final DeisStoreBackupService backups;
  private final DeisStoreBodies bodies;
  private final ObjectStores objectStores;
  private final Clock clock;

  DeisStoreRestoreTarget(RemoteHosts hosts, BackupCatalog catalog, DeisStoreBackupService backups,
      DeisStoreBodies bodies, ObjectStores objectStores, Clock clock) {
    this.hosts = hosts;
    this.catalog = catalog;
    this.backups = backups;
    this.bodies = bodies;
    this.objectStores = objectStores;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return "deis-store";
  }

  @Override
  public Checked<DeisStorePlan> check(DeisStoreRestore run, StepContext step) throws Exception {
    Backup backup = catalog.find(run.backupId()).orElseThrow(() -> new BackupNotFoundException(run.backupId()));
    DeisStoreManifest manifest = backups.manifest(backup);
    checkComplete(manifest);
    int[] files = new int[1];
    long volumeBytes = volumeContent(manifest.storeVolume().sha256(), files);
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      List<String> started = host.list().values().stream().filter(u -> "active".equals(u.active()))
          .map(DeisStoreHost.Unit::name).toList();
      if (!started.isEmpty()) {
        throw RestoreTarget.refused("the platform on " + host.where() + " is already started (" + String.join(", ", started)
            + "); the store is restored on a new cluster before the rest of Deis comes up");
      }
      String domain = host.config("platform", "domain");
      String volume = run.storeVolumePath();
      boolean volumeWasEmpty = !session.run(Command.shell("ls -A " + Command.quote(volume) + " 2>/dev/null | grep -q ."))
          .succeeded();
      String parent = parent(volume);
      long free = freeBytes(session, volume, parent);
      long needed = volumeBytes + manifest.storeVolume().size();
      if (free < needed) {
        throw RestoreTarget.refused("not enough space on " + host.where() + " for the store volume: " + free
            + " bytes free at " + parent + ", " + needed + " needed (the tar and its " + files[0] + " files)");
      }
      String uploadDir = parent + "/.lifeboat-restore-" + run.runId();
      DeisStorePlan plan = new DeisStorePlan(manifest.source(), manifest.buckets(), manifest.objectCount(),
          manifest.objectBytes(), files[0], volumeBytes, uploadDir, volumeWasEmpty);
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("host", host.where());
      target.put("cluster (platform domain)", domain);
      target.put("units started", "none");
      target.put("gateway", run.gatewayEndpoint());
      target.put("store volume", volume + (volumeWasEmpty ? " (empty or absent)" : " (holds files)"));
      target.put("free space", free + " bytes at " + parent);
      Map<String, Object> replacement = new LinkedHashMap<>();
      replacement.put("backup", backup.id());
      replacement.put("source cluster", manifest.source());
      replacement.put("taken at", backup.createdAt().toString());
      replacement.put("age", Duration.between(backup.createdAt(), clock.instant()).toMinutes() + " min");
      for (DeisStoreManifest.Bucket bucket : manifest.buckets()) {
        replacement.put("bucket " + bucket.name(), bucket.objectCount() + " objects, " + bucket.objectBytes() + " bytes to upload");
      }
      replacement.put("store volume", files[0] + " files, " + volumeBytes + " bytes (tar " + manifest.storeVolume().size()
          + " bytes" + (manifest.storeVolume().warnings().isEmpty() ? "" : ", tar warned: "
              + String.join("; ", manifest.storeVolume().warnings())) + ")");
      replacement.put("pg_dumpall.sql", manifest.database().size() + " bytes (kept in the backup, not loaded)");
      List<String> warnings = new ArrayList<>(List.of(DB_WAL_WARNING));
      if (!volumeWasEmpty) {
        warnings.add("the store volume " + volume + " already holds files; the backup's files are extracted over them"
            + " and a rollback cannot tell them apart, so it leaves the volume as it is");
      }
      step.message("backup " + backup.id() + " of " + manifest.source() + ": " + manifest.objectCount() + " objects, "
          + files[0] + " volume files; " + host.where() + " has no started units");
      return new Checked<>(plan,
          "Restore the Deis store of " + manifest.source() + " (backup " + backup.id() + ") onto the new cluster "
              + domain + " at " + host.where(),
          target, replacement, Map.of("objects on the gateway", 0), warnings,
          "nothing is saved aside: the new cluster's buckets are absent or empty; a rollback deletes the uploaded objects",
          commands(run, plan, host.where()), null);
    }
  }

  /**
   * Every body is re-read against its sha256 before anyone is asked; then the document's set-up of
   * the new cluster: install, store components one by one, router, body size, the new keys, and
   * the buckets must be absent or empty.
   */
  @Override
  public Map<String, Object> prepareArtifact(DeisStoreRestore run, DeisStorePlan plan, StepContext step)
      throws Exception {
    Backup backup = catalog.find(run.backupId()).orElseThrow(() -> new BackupNotFoundException(run.backupId()));
    DeisStoreManifest manifest = backups.manifest(backup);
    verifyBodies(manifest, step);
    Map<String, Object> facts = new LinkedHashMap<>();
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      step.message("deisctl install platform on " + host.where());
      host.unchecked("install", "platform");
      for (String component : DeisStoreRestore.STORE_COMPONENTS) {
        startConfirmed(host, component, step);
      }
      startConfirmed(host, "router@1", step);
      host.set("router", "bodySize", run.bodySize());
      facts.put("store components", String.join(", ", DeisStoreRestore.STORE_COMPONENTS) + " and router@1 running"
          + " (confirmed with deisctl list)");
      facts.put("router bodySize", run.bodySize());
      try (ObjectStore store = openGateway(run, host)) {
        for (DeisStoreManifest.Bucket bucket : plan.buckets()) {
          if (store.bucketExists(bucket.name())) {
            var page = store.list(bucket.name(), "", null);
            if (!page.objects().isEmpty()) {
              throw RestoreTarget.refused("bucket '" + bucket.name() + "' on the new gateway " + run.gatewayEndpoint()
                  + " is not empty (e.g. " + page.objects().getFirst().key() + "); the store is restored into empty"
                  + " buckets only");
            }
            facts.put("bucket " + bucket.name() + " on the new gateway", "exists, empty");
          } else {
            facts.put("bucket " + bucket.name() + " on the new gateway", "absent (will be created)");
          }
        }
      }
    }
    step.message("every body verified; store components and router@1 running; new gateway keys read; buckets empty");
    return facts;
  }

  @Override
  public void stop(DeisStoreRestore run, DeisStorePlan plan, StepContext step) {
    step.message("nothing to stop: only the store components and router@1 run, and the restore needs them");
  }

  @Override
  public void saveAside(DeisStoreRestore run, DeisStorePlan plan, StepContext step) {
    step.message("nothing to save aside: the new cluster's buckets are absent or empty");
  }

  @Override
  public void apply(DeisStoreRestore run, DeisStorePlan plan, StepContext step) throws Exception {
    Backup backup = catalog.find(run.backupId()).orElseThrow(() -> new BackupNotFoundException(run.backupId()));
    DeisStoreManifest manifest = backups.manifest(backup);
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      try (ObjectStore store = openGateway(run, host)) {
        uploadObjects(store, manifest, step);
        verifyObjects(store, manifest, step);
      }
      putVolumeBack(session, run, plan, manifest, step);
    }
  }

  @Override
  public void start(DeisStoreRestore run, DeisStorePlan plan, StepContext step) throws Exception {
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      step.message("deisctl start platform");
      String printed = host.unchecked("start", "platform");
      awaitAllRunning(host, printed);
      step.message("every unit of the platform is active/running");
    }
  }

  /** The controller re-writes keys, apps and domains to etcd; then the apps to rescale, or the rescale. */
  @Override
  public Map<String, Object> verify(DeisStoreRestore run, DeisStorePlan plan, StepContext step) throws Exception {
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      DeisStoreHost.Unit controller = host.list().values().stream()
          .filter(u -> u.name().startsWith("deis-controller")).findFirst()
          .orElseThrow(() -> new IllegalStateException("deisctl list on " + host.where() + " shows no deis-controller"));
      String etcd = (controller.ip() != null ? controller.ip() : HostAddress.parse(run.host()).host())
          + ":4001";
      CommandResult result = host.exec("deis-controller", controllerScript(etcd, run.rescales()), step::output);
      if (!result.succeeded()) {
        throw new IllegalStateException("the controller's re-save (manage.py shell in deis-controller) failed (exit "
            + result.exitStatus() + "): " + result.tail());
      }
      List<String> rescale = new ArrayList<>();
      for (String line : result.stdout().lines().toList()) {
        if (line.startsWith("app ")) {
          rescale.add(line.substring(4));
        }
      }
      step.message("keys, apps and domains re-written by the controller; " + rescale.size() + " app(s) "
          + (run.rescales() ? "scaled to 0 and back" : "to rescale (deis scale <type>=0, then back)"));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("objectCount", plan.objectCount());
      out.put("fileCount", plan.volumeFiles());
      out.put("appsToRescale", String.join("; ", rescale));
      return out;
    }
  }

  @Override
  public SavedData savedData(DeisStoreRestore run, DeisStorePlan plan) {
    return SavedData.WAS_EMPTY;
  }

  /** Removes every uploaded object (the buckets stay, empty), and the volume's files when it held none before. */
  @Override
  public void putBack(DeisStoreRestore run, DeisStorePlan plan, StepContext step) throws Exception {
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      DeisStoreHost host = new DeisStoreHost(session, run.deisctl(), run.docker());
      try (ObjectStore store = openGateway(run, host)) {
        for (DeisStoreManifest.Bucket bucket : plan.buckets()) {
          if (store.bucketExists(bucket.name())) {
            for (ObjectInfo object : store.listAll(bucket.name(), "")) {
              store.delete(bucket.name(), object.key());
            }
          }
        }
      }
      if (plan.volumeWasEmpty()) {
        session.run(Command.of("find", run.storeVolumePath(), "-mindepth", "1", "-delete")).orThrow(host.where());
      }
    }
  }

  @Override
  public Map<String, Object> inspect(DeisStoreRestore run, DeisStorePlan plan) throws Exception {
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef());
        ObjectStore store = openGateway(run, new DeisStoreHost(session, run.deisctl(), run.docker()))) {
      int count = 0;
      for (DeisStoreManifest.Bucket bucket : plan.buckets()) {
        if (store.bucketExists(bucket.name())) {
          count += store.listAll(bucket.name(), "").size();
        }
      }
      return Map.of("objects on the gateway", count);
    }
  }

  @Override
  public String describeState(DeisStoreRestore run, DeisStorePlan plan, SavedData saved) {
    return "the new cluster at " + run.host() + " has the platform installed with the store components and router@1"
        + " started; its buckets may hold part of the backup's objects and " + run.storeVolumePath()
        + " part of its files; delete them before restoring again";
  }

  @Override
  public void cleanUp(DeisStoreRestore run, DeisStorePlan plan, StepContext step) {
    try (HostSession session = hosts.forRun(run.runId(), run.host(), run.credentialRef())) {
      session.run(Command.of("rm", "-rf", "--", plan.uploadDir()));
    }
  }

  // --- the steps' parts

  private static void checkComplete(DeisStoreManifest manifest) {
    if (!DeisStoreManifest.FORMAT.equals(manifest.format()) || manifest.storeVolume() == null
        || manifest.database() == null || manifest.buckets() == null || manifest.objects() == null) {
      throw RestoreTarget.refused("the backup's manifest is incomplete (format " + manifest.format()
          + "); it needs buckets, objects, the store volume and the database dump");
    }
    for (DeisStoreManifest.Bucket bucket : manifest.buckets()) {
      long count = manifest.objects().stream().filter(o -> o.bucket().equals(bucket.name())).count();
      if (count != bucket.objectCount()) {
        throw RestoreTarget.refused("the backup's manifest lists " + count + " objects of bucket " + bucket.name()
            + " but counted " + bucket.objectCount());
      }
    }
  }

  private void verifyBodies(DeisStoreManifest manifest, StepContext step) throws IOException {
    List<String[]> all = new ArrayList<>();
    for (DeisStoreManifest.StoredObject object : manifest.objects()) {
      all.add(new String[] {"object " + object.bucket() + "/" + object.key(), object.sha256(), Long.toString(object.size())});
    }
    all.add(new String[] {DeisStoreManifest.VOLUME_ENTRY, manifest.storeVolume().sha256(),
        Long.toString(manifest.storeVolume().size())});
    all.add(new String[] {DeisStoreManifest.DATABASE_ENTRY, manifest.database().sha256(),
        Long.toString(manifest.database().size())});
    String unreadable = bodies.unreadable(all.stream().map(part -> part[1]).toList());
    if (unreadable != null) {
      throw RestoreTarget.refused(unreadable);
    }
    AtomicInteger done = new AtomicInteger();
    ObjectTransfers.Report report = ObjectTransfers.each(all, part -> part[0], objectStores.parallelism(), part -> {
      if (!bodies.stored(part[1])) {
        throw new IOException("missing from the backup repository (" + bodies.describe(part[1]) + ")");
      }
      MessageDigest digest = Sha256.newDigest();
      long size;
      try (InputStream in = new DigestInputStream(bodies.open(part[1]), digest)) {
        size = in.transferTo(OutputStream.nullOutputStream());
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(part[1]) || size != Long.parseLong(part[2])) {
        throw new IOException("corrupt: " + size + " bytes, sha256 " + actual + "; the manifest says " + part[2]
            + " bytes, sha256 " + part[1]);
      }
      step.progress(done.incrementAndGet(), (long) all.size(), "objects");
      return size;
    });
    if (!report.complete()) {
      throw RestoreTarget.refused("the backup is damaged: " + report.failures().size() + " part(s) failed their check, "
          + report.failures().entrySet().stream().limit(3).map(e -> e.getKey() + ": " + e.getValue()).toList());
    }
  }

  private void uploadObjects(ObjectStore store, DeisStoreManifest manifest, StepContext step) throws IOException {
    for (DeisStoreManifest.Bucket bucket : manifest.buckets()) {
      if (!store.bucketExists(bucket.name())) {
        store.createBucket(bucket.name());
      }
    }
    AtomicInteger done = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    ObjectTransfers.Report report = ObjectTransfers.each(manifest.objects(), o -> o.bucket() + "/" + o.key(),
        objectStores.parallelism(), object -> {
          try (InputStream in = bodies.open(object.sha256())) {
            store.put(object.bucket(), object.key(), in, object.size());
          }
          step.progress(done.incrementAndGet(), (long) manifest.objectCount(), "objects");
          step.message("uploaded " + done.get() + " of " + manifest.objectCount() + " objects, "
              + bytes.addAndGet(object.size()) + " of " + manifest.objectBytes() + " bytes");
          return object.size();
        });
    if (!report.complete()) {
      throw new IOException(report.failures().size() + " object(s) could not be uploaded, e.g. "
          + report.failures().entrySet().iterator().next());
    }
  }

  /**
   * Count and size of every object as the gateway lists it; its content by the ETag where that is
   * an MD5 (single-part uploads), else by downloading it and comparing sha256.
   */
  private static void verifyObjects(ObjectStore store, DeisStoreManifest manifest, StepContext step) throws IOException {
    for (DeisStoreManifest.Bucket bucket : manifest.buckets()) {
      Map<String, ObjectInfo> listed = new HashMap<>();
      for (ObjectInfo info : store.listAll(bucket.name(), "")) {
        listed.put(info.key(), info);
      }
      if (listed.size() != bucket.objectCount()) {
        throw new IOException("bucket " + bucket.name() + " holds " + listed.size() + " objects after the upload, the"
            + " backup has " + bucket.objectCount());
      }
      for (DeisStoreManifest.StoredObject object : manifest.objects()) {
        if (!object.bucket().equals(bucket.name())) {
          continue;
        }
        ObjectInfo info = listed.get(object.key());
        if (info == null || info.size() != object.size()) {
          throw new IOException(bucket.name() + "/" + object.key() + " is " + (info == null ? "missing" : info.size()
              + " bytes") + " on the gateway after the upload, the backup has " + object.size() + " bytes");
        }
        String etag = info.md5();
        if (etag != null && object.md5() != null) {
          if (!etag.equals(object.md5())) {
            throw new IOException(bucket.name() + "/" + object.key() + " has MD5 " + etag + " on the gateway, the backup "
                + object.md5());
          }
        } else {
          String sha;
          try (InputStream in = store.get(bucket.name(), object.key())) {
            sha = Sha256.of(in);
          }
          if (!sha.equals(object.sha256())) {
            throw new IOException(bucket.name() + "/" + object.key() + " has sha256 " + sha + " on the gateway, the"
                + " backup " + object.sha256());
          }
        }
      }
    }
    step.message(manifest.objectCount() + " objects uploaded and verified (count, size, content)");
  }

  private void putVolumeBack(HostSession session, DeisStoreRestore run, DeisStorePlan plan, DeisStoreManifest manifest,
      StepContext step) throws IOException {
    String tar = plan.uploadedTar();
    step.message("copying the store volume's tar to " + tar);
    try (InputStream in = bodies.open(manifest.storeVolume().sha256())) {
      session.upload(in, manifest.storeVolume().size(), tar,
          done -> step.progress(done, manifest.storeVolume().size(), "bytes"));
    }
    String printed = session.sha256(tar);
    if (!printed.equals(manifest.storeVolume().sha256())) {
      throw new IOException("the uploaded tar " + tar + " has sha256 " + printed + " on " + session.where()
          + ", the backup " + manifest.storeVolume().sha256());
    }
    session.run(extractCommand(run, plan), Duration.ofHours(2), step::output).orThrow(session.where());
    step.message(manifest.objectCount() + " objects verified; " + plan.volumeFiles() + " files extracted into "
        + run.storeVolumePath() + " with their owners");
  }

  static Command extractCommand(DeisStoreRestore run, DeisStorePlan plan) {
    return Command.shell("mkdir -p " + Command.quote(run.storeVolumePath()) + " && cd " + Command.quote(run.storeVolumePath())
        + " && $(test \"$(id -u)\" = 0 || echo sudo -n) tar -xzpf " + Command.quote(plan.uploadedTar()) + " --same-owner");
  }

  static String controllerScript(String etcd, boolean rescale) {
    StringBuilder python = new StringBuilder()
        .append("from api.models import *\n")
        .append("import json\n")
        .append("[k.save() for k in Key.objects.all()]\n")
        .append("[a.save() for a in App.objects.all()]\n")
        .append("[d.save() for d in Domain.objects.all()]\n")
        .append("for a in App.objects.all():\n")
        .append("    print('app %s %s' % (a.id, json.dumps(a.structure, sort_keys=True)))\n");
    if (rescale) {
      python.append("    if a.structure:\n")
          .append("        a.scale(a.owner, dict((t, 0) for t in a.structure))\n")
          .append("        a.scale(a.owner, a.structure)\n");
    }
    return "cd /app && export ETCD=" + etcd + " && ./manage.py shell <<'EOF'\n" + python + "EOF\n";
  }

  private void startConfirmed(DeisStoreHost host, String component, StepContext step) throws InterruptedException {
    step.message("deisctl start " + component);
    String printed = host.unchecked("start", component);
    String prefix = "deis-" + (component.contains("@") ? component : component + "@");
    String plain = "deis-" + component + ".service";
    long deadline = System.nanoTime() + UNIT_TIMEOUT.toNanos();
    while (true) {
      List<DeisStoreHost.Unit> units = host.list().values().stream()
          .filter(u -> u.name().equals(plain) || u.name().startsWith(prefix)).toList();
      if (!units.isEmpty() && units.stream().allMatch(DeisStoreHost.Unit::running)) {
        return;
      }
      boolean failed = units.stream().anyMatch(u -> "failed".equals(u.active()) || "failed".equals(u.sub()));
      if (units.isEmpty() || failed || System.nanoTime() > deadline) {
        throw RestoreTarget.refused("'deisctl start " + component + "' on " + host.where() + " exited 0, but deisctl list"
            + " shows " + (units.isEmpty() ? "no such unit" : units.stream().map(u -> u.name() + " " + u.state()).toList())
            + (printed.isBlank() ? "" : "; deisctl printed: " + printed.strip().replaceAll("\\s+", " "))
            + ". Nothing was restored");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void awaitAllRunning(DeisStoreHost host, String printed) throws InterruptedException {
    long deadline = System.nanoTime() + UNIT_TIMEOUT.toNanos();
    while (true) {
      List<DeisStoreHost.Unit> notRunning = host.list().values().stream().filter(u -> !u.running()).toList();
      if (notRunning.isEmpty()) {
        return;
      }
      boolean failed = notRunning.stream().anyMatch(u -> "failed".equals(u.active()));
      if (failed || System.nanoTime() > deadline) {
        throw new IllegalStateException("'deisctl start platform' on " + host.where() + " exited 0, but "
            + notRunning.stream().map(u -> u.name() + " " + u.state()).toList() + " are not running"
            + (printed.isBlank() ? "" : "; deisctl printed: " + printed.strip().replaceAll("\\s+", " ")));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private List<PlannedCommand> commands(DeisStoreRestore run, DeisStorePlan plan, String where) {
    List<PlannedCommand> commands = new ArrayList<>();
    for (String bucket : plan.buckets().stream().map(DeisStoreManifest.Bucket::name).toList()) {
      commands.add(new PlannedCommand("apply", run.gatewayEndpoint(), "create bucket " + bucket
          + " if absent; upload its objects and verify count, size and content", false));
    }
    commands.add(new PlannedCommand("apply", where, "upload the store volume's tar to " + plan.uploadedTar()
        + ", then sha256sum it", false));
    commands.add(new PlannedCommand("apply", where, extractCommand(run, plan).describe(), false));
    commands.add(new PlannedCommand("start", where, run.deisctl() + " start platform", true));
    commands.add(new PlannedCommand("start", where, run.deisctl() + " list", true));
    commands.add(new PlannedCommand("verify", where, run.docker() + " exec deis-controller sh -c "
        + Command.quote(controllerScript("<deis-controller's machine>:4001", run.rescales())), true));
    commands.add(new PlannedCommand("clean up", where, Command.of("rm", "-rf", "--", plan.uploadDir()).describe(), false));
    commands.add(new PlannedCommand("rollback", run.gatewayEndpoint(), "delete every object in "
        + plan.buckets().stream().map(DeisStoreManifest.Bucket::name).toList(), false));
    if (plan.volumeWasEmpty()) {
      commands.add(new PlannedCommand("rollback", where,
          Command.of("find", run.storeVolumePath(), "-mindepth", "1", "-delete").describe(), false));
    }
    return commands;
  }

  private long volumeContent(String sha256, int[] files) throws IOException {
    long bytes = 0;
    try (InputStream in = bodies.open(sha256);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.isFile()) {
          files[0]++;
          bytes += entry.getSize();
        }
      }
    }
    return bytes;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** Free bytes where the volume is (or would be): df on the nearest directory that exists. */
  private static long freeBytes(HostSession session, String volume, String parent) {
    String line = "d=" + Command.quote(volume) + "; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done; df -Pk \"$d\"";
    CommandResult df = session.run(Command.shell(line)).orThrow(session.where());
    String[] last = df.stdout().strip().lines().reduce((a, b) -> b).orElse("").split("\\s+");
    if (last.length < 4 || !last[3].matches("\\d+")) {
      throw new IllegalStateException("df on " + session.where() + " printed '" + df.stdout().strip() + "' for " + parent);
    }
    return Long.parseLong(last[3]) * 1024;
  }

  private ObjectStore openGateway(DeisStoreRestore run, DeisStoreHost host) {
    return host.openGateway(objectStores, run.gatewayEndpoint(), run.gatewayCredentialRef());
  }

}
