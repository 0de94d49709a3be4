package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.ArchiveStaging;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupPipeline;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.catalog.StagedArchive;
import dev.lifeboat.restore.RestoreTarget;
import dev.lifeboat.runbook.StepContext;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.springframework.stereotype.Component;

/**
 * etcd-load's part of the restore skeleton: the keys of an etcd-dump written into a running
 * cluster of any version. Nothing is stopped; "save aside" is a catalogued dump of the target's
 * keys the load overwrites, which a rollback writes back (and the keys the load created are
 * deleted again).
 */
@Component
class EtcdKeysRestoreTarget implements RestoreTarget<LoadRun, LoadPlan> {

  static final String PLATFORM = "etcd-keys";
  private static final int SAMPLE = 10;

  private final EtcdConnector connector;
  private final EtcdClusterInspector inspector;
  private final EtcdKeyReader reader;
  private final BackupService backups;
  private final BackupPipeline pipeline;
  private final ObjectMapper json;
  private final Clock clock;

  EtcdKeysRestoreTarget(EtcdConnector connector, EtcdClusterInspector inspector, EtcdKeyReader reader,
      BackupService backups, BackupPipeline pipeline, ObjectMapper json, Clock clock) {
    this.connector = connector;
    this.inspector = inspector;
    this.reader = reader;
    this.backups = backups;
    this.pipeline = pipeline;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Checked<LoadPlan> check(LoadRun run, StepContext step) throws IOException {
    Backup backup = dumpOf(run.backupId());
    Map<String, Object> metadata = backup.metadata();
    String dumpPrefix = Objects.toString(metadata.get("prefix"), "");
    String prefix = run.prefix() == null || run.prefix().isBlank() ? dumpPrefix : run.prefix();
    if (!prefix.startsWith(dumpPrefix)) {
      throw RestoreTarget.refused("prefix '" + prefix + "' is outside the dump, which holds only keys under '"
          + dumpPrefix + "'");
    }
    ClusterState target;
    try {
      target = inspector.inspect(run.endpoints(), run.credentialRef());
    } catch (EtcdException e) {
      throw RestoreTarget.refused("the target does not answer: " + e.getMessage());
    }
    String endpoint = target.snapshotEndpoint();
    List<String> hiddenRoots = hiddenRootsOf(metadata);
    String v2Prefix = prefix.isEmpty() ? "/" : prefix;
    long overwrittenV3 = 0;
    List<String> sample = new ArrayList<>();
    EtcdDump.Digest dumpDigest = new EtcdDump.Digest();
    List<EtcdDump.V2Node> dumpV2;
    try (Client client = connector.connect(List.of(endpoint), run.credentialRef());
        DumpCursor dump = open(backup, prefix)) {
      EtcdKeyReader.V3Cursor existing = reader.cursor(client, endpoint, prefix, true);
      for (EtcdDump.V3Key key; (key = dump.next()) != null; ) {
        dumpDigest.add(key);
        if (existing.seek(key.key())) {
          overwrittenV3++;
          if (sample.size() < SAMPLE) {
            sample.add(text(key.key()));
          }
        }
      }
      dumpV2 = dump.v2();
      dumpV2.forEach(dumpDigest::add);
    }
    boolean hasV2 = !dumpV2.isEmpty();
    Map<String, EtcdDump.V2Node> existingV2 = new LinkedHashMap<>();
    if (hasV2) {
      try {
        reader.readV2(endpoint, run.credentialRef(), v2Prefix, hiddenRoots, node -> existingV2.put(node.key(), node));
      } catch (EtcdException e) {
        throw RestoreTarget.refused("the dump holds " + dumpV2.size() + " v2 keys but " + e.getMessage());
      }
    }
    long overwrittenV2 = dumpV2.stream().filter(node -> existingV2.containsKey(node.key())).count();
    dumpV2.stream().filter(node -> existingV2.containsKey(node.key())).limit(SAMPLE).forEach(n -> sample.add("v2 " + n.key()));
    Map<String, Object> before = inspect(run, endpoint, prefix, v2Prefix, hiddenRoots, hasV2);
    long targetV3 = (Long) before.get("v3KeyCount");
    long targetV2 = hasV2 ? (Long) before.get("v2KeyCount") : 0;
    boolean empty = targetV3 == 0 && targetV2 == 0;
    String savedBackupId = empty ? null
        : pipeline.reserveId(clock.instant(), EtcdDump.KIND, target.clusterId(), run.runId());
    LoadPlan plan = new LoadPlan(endpoint, target.clusterId(), target.version(), prefix, v2Prefix, hiddenRoots, hasV2,
        empty, dumpDigest.v3Count(), dumpDigest.v2Count(), dumpDigest.v3(), dumpDigest.v2(), targetV3, targetV2,
        overwrittenV3, overwrittenV2, savedBackupId);
    String where = "'" + (prefix.isEmpty() ? "(everything)" : prefix) + "'";
    String emptyProof = empty ? "the target cluster " + target.clusterId() + " holds 0 keys under " + where
        + (hasV2 ? " in v3 and v2" : "") + " at revision " + target.revision() : null;
    Map<String, Object> targetFacts = new LinkedHashMap<>();
    targetFacts.put("endpoints", run.endpoints());
    targetFacts.put("clusterId", target.clusterId());
    targetFacts.put("etcdVersion", target.version());
    targetFacts.put("revision", target.revision());
    targetFacts.put("prefix", prefix);
    targetFacts.put("keysUnderPrefix", targetV3 + targetV2);
    targetFacts.put("keysOverwritten", overwrittenV3 + overwrittenV2);
    targetFacts.put("keysKeptAsTheyAre", targetV3 + targetV2 - overwrittenV3 - overwrittenV2);
    targetFacts.put("overwrittenSample", sample);
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("backupId", backup.id());
    replacement.put("source", backup.source());
    replacement.put("etcdVersion", metadata.get("etcdVersion"));
    replacement.put("revision", metadata.get("revision"));
    replacement.put("takenAt", metadata.get("finishedAt"));
    replacement.put("keyCount", dumpDigest.v3Count() + dumpDigest.v2Count());
    replacement.put("keyCounts", Map.of(EtcdDump.V3, dumpDigest.v3Count(), EtcdDump.V2, dumpDigest.v2Count()));
    replacement.put("keysNew", dumpDigest.v3Count() + dumpDigest.v2Count() - overwrittenV3 - overwrittenV2);
    replacement.put("archiveSha256", backup.sha256());
    replacement.put("size", backup.size());
    List<String> warnings = new ArrayList<>();
    if (!Objects.equals(metadata.get("etcdVersion"), target.version())) {
      warnings.add("The dump was taken on etcd " + metadata.get("etcdVersion") + " and the target runs etcd "
          + target.version() + ": a key dump loads into any version (keys and values go through the API), but"
          + " revisions and lease ids are new on the target");
    }
    if (targetV3 + targetV2 > overwrittenV3 + overwrittenV2) {
      warnings.add((targetV3 + targetV2 - overwrittenV3 - overwrittenV2) + " keys under " + where
          + " on the target are not in the dump: they are kept as they are, not deleted");
    }
    step.message("target " + target.clusterId() + " (etcd " + target.version() + ") holds " + (targetV3 + targetV2)
        + " keys under " + where + "; the dump's " + (dumpDigest.v3Count() + dumpDigest.v2Count()) + " keys would overwrite "
        + (overwrittenV3 + overwrittenV2));
    return new Checked<>(plan,
        "Load " + (dumpDigest.v3Count() + dumpDigest.v2Count()) + " keys of dump " + backup.id() + " into etcd cluster "
            + target.clusterId() + " at " + run.endpoints() + ", overwriting " + (overwrittenV3 + overwrittenV2)
            + " of its " + (targetV3 + targetV2) + " keys under " + where,
        targetFacts, replacement, before, warnings,
        empty ? null : "backup " + savedBackupId + " (an etcd-dump of the " + (overwrittenV3 + overwrittenV2)
            + " keys that will be overwritten)",
        List.of(), emptyProof);
  }

  /** Reads the whole stored dump: its sha256 must be the catalogued one, its counts and digests the recorded ones. */
  @Override
  public Map<String, Object> prepareArtifact(LoadRun run, LoadPlan plan, StepContext step) throws IOException {
    Backup backup = dumpOf(run.backupId());
    MessageDigest sha = Sha256.newDigest();
    EtcdDump.Digest digest = new EtcdDump.Digest();
    JsonNode trailer;
    try (InputStream in = new DigestInputStream(backups.openPlaintext(backup.id()), sha);
        EtcdDump.Reader dump = new EtcdDump.Reader(in, json)) {
      for (EtcdDump.Entry entry; (entry = dump.next()) != null; ) {
        if (entry.v3() != null) {
          digest.add(entry.v3());
        } else {
          digest.add(entry.v2());
        }
      }
      trailer = dump.trailer();
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      throw RestoreTarget.refused("dump " + backup.id() + " cannot be read (" + e.getMessage()
          + "): the stored copy is damaged; nothing on the target was changed");
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(backup.sha256())) {
      throw RestoreTarget.refused("dump " + backup.id() + " hashes to " + actual + " but was catalogued with "
          + backup.sha256() + ": the stored copy is damaged or was replaced; nothing on the target was changed");
    }
    if (trailer.at("/counts/v3").asLong() != digest.v3Count() || !trailer.at("/digests/v3").asText().equals(digest.v3())
        || trailer.at("/counts/v2").asLong() != digest.v2Count()) {
      throw RestoreTarget.refused("dump " + backup.id() + " holds " + digest.v3Count() + " v3 and " + digest.v2Count()
          + " v2 keys, its trailer says " + trailer.get("counts") + ": it is inconsistent; nothing on the target was changed");
    }
    step.message("dump sha256 " + actual + " matches the catalogue; " + digest.v3Count() + " v3 and "
        + digest.v2Count() + " v2 keys read, counts and digest as written");
    return Map.of("checksumVerified", "sha256 " + actual + " of the stored dump matches the catalogue; every line"
        + " read, v3 digest " + digest.v3());
  }

  @Override
  public void stop(LoadRun run, LoadPlan plan, StepContext step) {
    step.message("a key load needs no stop: the cluster keeps serving while keys are written");
  }

  /** Dumps the target's keys that the load will overwrite into a catalogued etcd-dump backup. */
  @Override
  public void saveAside(LoadRun run, LoadPlan plan, StepContext step) throws IOException {
    if (plan.targetEmpty()) {
      step.message("the target held no keys under the prefix: nothing to save");
      return;
    }
    if (catalogued(plan.savedBackupId())) {
      step.message("the overwritten keys are already saved as backup " + plan.savedBackupId());
      return;
    }
    Backup dumpBackup = dumpOf(run.backupId());
    Instant startedAt = clock.instant();
    StagedArchive staged;
    long[] saved = {0, 0};
    try (Client client = connector.connect(List.of(plan.endpoint()), run.credentialRef());
        ArchiveStaging staging = pipeline.stage(run.runId());
        DumpCursor dump = open(dumpBackup, plan.prefix())) {
      long revision = inspector.revision(client, plan.endpoint());
      GZIPOutputStream gzip = new GZIPOutputStream(staging.out(), 1 << 16);
      EtcdDump.Writer writer = new EtcdDump.Writer(gzip, json);
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("backupId", plan.savedBackupId());
      header.put("clusterId", plan.clusterId());
      header.put("etcdVersion", plan.etcdVersion());
      header.put("revision", revision);
      header.put("endpoint", plan.endpoint());
      header.put("prefix", plan.prefix());
      header.put("keySpaces", plan.hasV2() ? List.of(EtcdDump.V3, EtcdDump.V2) : List.of(EtcdDump.V3));
      header.put("takenAt", startedAt.toString());
      header.put("savedBy", "etcd-load run " + run.runId() + ": the keys it overwrites with dump " + run.backupId());
      writer.header(header);
      reader.readV3(client, plan.endpoint(), plan.prefix(), revision, key -> {
        if (dump.seek(key.key()) != null) {
          writer.v3(key);
          saved[0]++;
        }
      });
      if (plan.hasV2()) {
        Set<String> keys = dump.v2().stream().map(EtcdDump.V2Node::key).collect(Collectors.toSet());
        reader.readV2(plan.endpoint(), run.credentialRef(), plan.v2Prefix(), plan.hiddenRoots(), node -> {
          if (keys.contains(node.key())) {
            writer.v2(node);
            saved[1]++;
          }
        });
      }
      writer.trailer(Map.of("hiddenRoots", plan.hiddenRoots()));
      gzip.close();
      Map<String, Object> metadata = new LinkedHashMap<>(header);
      metadata.put("format", EtcdDump.FORMAT);
      metadata.put("kind", EtcdDump.KIND);
      metadata.put("keyCount", saved[0] + saved[1]);
      metadata.put("keyCounts", Map.of(EtcdDump.V3, saved[0], EtcdDump.V2, saved[1]));
      metadata.put("digests", Map.of(EtcdDump.V3, writer.digest().v3(), EtcdDump.V2, writer.digest().v2()));
      metadata.put("hiddenRoots", plan.hiddenRoots());
      metadata.put("startedAt", startedAt.toString());
      metadata.put("finishedAt", clock.instant().toString());
      metadata.put("runId", run.runId());
      staged = staging.finish(new BackupDescription(plan.savedBackupId(), EtcdDump.KIND, plan.clusterId(), metadata,
          "saved by etcd-load run " + run.runId() + " before loading " + run.backupId(), startedAt, clock.instant()),
          run.initiator());
    }
    pipeline.verify(staged);
    pipeline.store(staged);
    pipeline.catalogue(staged);
    step.message("saved the " + (saved[0] + saved[1]) + " keys the load overwrites as backup " + plan.savedBackupId()
        + " (sha256 " + staged.sha256() + ")");
  }

  /** Writes the dump's keys under the prefix in bounded transactions, leases recreated with their remaining TTLs. */
  @Override
  public void apply(LoadRun run, LoadPlan plan, StepContext step) throws IOException {
    Backup backup = dumpOf(run.backupId());
    MessageDigest sha = Sha256.newDigest();
    long total = plan.dumpV3Keys() + plan.dumpV2Keys();
    try (Client client = connector.connect(List.of(plan.endpoint()), run.credentialRef());
        InputStream in = new DigestInputStream(backups.openPlaintext(backup.id()), sha);
        DumpCursor dump = new DumpCursor(new EtcdDump.Reader(in, json), plan.prefix())) {
      EtcdKeyWriter writer = new EtcdKeyWriter(client, plan.endpoint(), inspector);
      for (EtcdDump.V3Key key; (key = dump.next()) != null; ) {
        writer.put(key);
        step.progress(writer.written(), total, "keys");
      }
      writer.flush();
      long v2 = 0;
      EtcdKeyWriter.V2 v2Writer = new EtcdKeyWriter.V2(plan.endpoint(), json);
      for (EtcdDump.V2Node node : dump.v2()) {
        v2Writer.put(node);
        v2++;
      }
      in.transferTo(OutputStream.nullOutputStream());
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(backup.sha256())) {
        throw new EtcdException("dump " + backup.id() + " changed since it was verified (sha256 " + actual + ")");
      }
      step.message("wrote " + writer.written() + " v3 keys in " + writer.transactions() + " transactions ("
          + writer.leasesGranted() + " leases recreated) and " + v2 + " v2 nodes");
    }
  }

  @Override
  public void start(LoadRun run, LoadPlan plan, StepContext step) {
    step.message("nothing to start: the cluster kept serving");
  }

  /** Every key of the dump is on the target with its value: counts and digests as the dump's. */
  @Override
  public Map<String, Object> verify(LoadRun run, LoadPlan plan, StepContext step) throws IOException {
    EtcdDump.Digest found = new EtcdDump.Digest();
    long leased = 0;
    long leasedOnTarget = 0;
    List<String> missing = new ArrayList<>();
    List<EtcdDump.V2Node> dumpV2;
    try (Client client = connector.connect(List.of(plan.endpoint()), run.credentialRef());
        DumpCursor dump = open(dumpOf(run.backupId()), plan.prefix())) {
      EtcdKeyReader.V3Cursor target = reader.cursor(client, plan.endpoint(), plan.prefix(), false);
      for (EtcdDump.V3Key key; (key = dump.next()) != null; ) {
        if (key.lease() != 0 && key.ttl() > 0) {
          leased++;
        }
        if (!target.seek(key.key())) {
          if (missing.size() < SAMPLE) {
            missing.add(text(key.key()));
          }
          continue;
        }
        KeyValue kv = target.next();
        found.add(new EtcdDump.V3Key(kv.getKey().getBytes(), kv.getValue().getBytes(), kv.getLease(), 0));
        if (kv.getLease() != 0) {
          leasedOnTarget++;
        }
      }
      dumpV2 = dump.v2();
    }
    if (plan.hasV2()) {
      Map<String, EtcdDump.V2Node> onTarget = new LinkedHashMap<>();
      reader.readV2(plan.endpoint(), run.credentialRef(), plan.v2Prefix(), plan.hiddenRoots(),
          node -> onTarget.put(node.key(), node));
      for (EtcdDump.V2Node node : dumpV2) {
        EtcdDump.V2Node there = onTarget.get(node.key());
        if (there == null) {
          missing.add("v2 " + node.key());
        } else {
          found.add(there);
        }
      }
    }
    if (found.v3Count() != plan.dumpV3Keys() || !found.v3().equals(plan.dumpV3Digest())
        || found.v2Count() != plan.dumpV2Keys() || (plan.hasV2() && !found.v2().equals(plan.dumpV2Digest()))) {
      throw new EtcdException("after the load the target holds " + found.v3Count() + " of the dump's " + plan.dumpV3Keys()
          + " v3 keys and " + found.v2Count() + " of its " + plan.dumpV2Keys() + " v2 keys (digest " + found.v3()
          + ", the dump's " + plan.dumpV3Digest() + ")" + (missing.isEmpty() ? "" : "; missing: " + missing));
    }
    if (leasedOnTarget < leased) {
      throw new EtcdException(leased + " of the dump's keys had a lease, but only " + leasedOnTarget
          + " have one on the target");
    }
    long loaded = found.v3Count() + found.v2Count();
    step.message("all " + loaded + " keys of the dump are on the target with their values (v3 digest " + found.v3()
        + " as the dump's" + (plan.hasV2() ? ", v2 digest " + found.v2() : "") + "); " + leasedOnTarget
        + " keys on recreated leases");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("loadedKeyCount", loaded);
    out.put("loadedDigest", found.v3());
    out.put("savedBackupId", plan.savedBackupId() == null ? "" : plan.savedBackupId());
    return out;
  }

  @Override
  public SavedData savedData(LoadRun run, LoadPlan plan) {
    if (plan.targetEmpty()) {
      return SavedData.WAS_EMPTY;
    }
    return catalogued(plan.savedBackupId()) ? SavedData.SAVED_ASIDE : SavedData.GONE;
  }

  /**
   * Writes the saved keys back and deletes the dump's keys that did not exist before (for an
   * empty target: every key the load wrote).
   */
  @Override
  public void putBack(LoadRun run, LoadPlan plan, StepContext step) throws IOException {
    long restored = 0;
    long deleted = 0;
    try (Client client = connector.connect(List.of(plan.endpoint()), run.credentialRef());
        DumpCursor dump = open(dumpOf(run.backupId()), plan.prefix());
        DumpCursor saved = plan.targetEmpty() ? null : open(dumpOf(plan.savedBackupId()), plan.prefix())) {
      EtcdKeyWriter writer = new EtcdKeyWriter(client, plan.endpoint(), inspector);
      for (EtcdDump.V3Key key; (key = dump.next()) != null; ) {
        EtcdDump.V3Key before = saved == null ? null : saved.seek(key.key());
        if (before != null) {
          writer.put(before);
          restored++;
        } else {
          writer.delete(key.key());
          deleted++;
        }
      }
      writer.flush();
      if (plan.hasV2()) {
        Map<String, EtcdDump.V2Node> savedV2 = new LinkedHashMap<>();
        if (saved != null) {
          saved.v2().forEach(node -> savedV2.put(node.key(), node));
        }
        EtcdKeyWriter.V2 v2 = new EtcdKeyWriter.V2(plan.endpoint(), json);
        List<EtcdDump.V2Node> nodes = new ArrayList<>(dump.v2());
        for (EtcdDump.V2Node node : nodes.reversed()) {
          EtcdDump.V2Node before = savedV2.get(node.key());
          if (before != null) {
            v2.put(before);
            restored++;
          } else {
            v2.delete(node.key(), node.dir());
            deleted++;
          }
        }
      }
    }
    step.message("wrote back " + restored + " saved keys" + (plan.targetEmpty() ? "" : " from backup "
        + plan.savedBackupId()) + " and deleted " + deleted + " keys the load had created");
  }

  @Override
  public Map<String, Object> inspect(LoadRun run, LoadPlan plan) throws IOException {
    return inspect(run, plan.endpoint(), plan.prefix(), plan.v2Prefix(), plan.hiddenRoots(), plan.hasV2());
  }

  /** The target's keys under the prefix: count and digest per key space, what a rollback must find again. */
  private Map<String, Object> inspect(LoadRun run, String endpoint, String prefix, String v2Prefix,
      List<String> hiddenRoots, boolean v2) throws IOException {
    EtcdDump.Digest digest = new EtcdDump.Digest();
    try (Client client = connector.connect(List.of(endpoint), run.credentialRef())) {
      long revision = inspector.revision(client, endpoint);
      reader.readV3(client, endpoint, prefix, revision, digest::add);
    }
    if (v2) {
      reader.readV2(endpoint, run.credentialRef(), v2Prefix, hiddenRoots, digest::add);
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("v3KeyCount", digest.v3Count());
    facts.put("v3Digest", digest.v3());
    if (v2) {
      facts.put("v2KeyCount", digest.v2Count());
      facts.put("v2Digest", digest.v2());
    }
    return facts;
  }

  @Override
  public String describeState(LoadRun run, LoadPlan plan, SavedData saved) {
    return "the cluster at " + run.endpoints() + " holds whatever part of dump " + run.backupId()
        + " was written before the failure, under '" + plan.prefix() + "'; "
        + (plan.targetEmpty() ? "it held no keys there before"
            : "the keys it held there before are in backup " + plan.savedBackupId() + " (load it with etcd-load)");
  }

  @Override
  public void cleanUp(LoadRun run, LoadPlan plan, StepContext step) {
    // nothing was put anywhere but into the cluster
  }

  private DumpCursor open(Backup backup, String prefix) throws IOException {
    return new DumpCursor(new EtcdDump.Reader(backups.openPlaintext(backup.id()), json), prefix);
  }

  @SuppressWarnings("unchecked")
  private static List<String> hiddenRootsOf(Map<String, Object> metadata) {
    Object roots = metadata.get("hiddenRoots");
    List<String> hidden = new ArrayList<>();
    if (roots instanceof List<?> list) {
      for (Object root : list) {
        if (!EtcdKeyReader.FLEET_ROOT.equals(root)) {
          hidden.add(String.valueOf(root));
        }
      }
    }
    return hidden;
  }

  private Backup dumpOf(String backupId) {
    Backup backup;
    try {
      backup = backups.get(backupId);
    } catch (BackupNotFoundException e) {
      throw RestoreTarget.refused(e.getMessage());
    }
    if (!EtcdDump.KIND.equals(backup.kind())) {
      throw RestoreTarget.refused("backup " + backupId + " is a " + backup.kind() + ", not an etcd-dump");
    }
    return backup;
  }

  private boolean catalogued(String backupId) {
    try {
      backups.get(backupId);
      return true;
    } catch (BackupNotFoundException e) {
      return false;
    }
  }

  private static String text(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }
}
