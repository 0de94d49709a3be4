package dev.lifeboat.etcd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.ArchiveInspector;
import dev.lifeboat.catalog.BackupDescription;
import dev.lifeboat.catalog.BackupIds;
import dev.lifeboat.catalog.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Verifies an uploaded etcd-dump: every line parses, and the trailer's counts and digests are the lines'. */
@Component
class EtcdDumpInspector implements ArchiveInspector {

  private final ObjectMapper json;

  EtcdDumpInspector(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public String kind() {
    return EtcdDump.KIND;
  }

  @Override
  public BackupDescription inspect(InputStream archive) throws IOException {
    EtcdDump.Digest digest = new EtcdDump.Digest();
    JsonNode header;
    JsonNode trailer;
    try (EtcdDump.Reader reader = new EtcdDump.Reader(archive, json)) {
      header = reader.header();
      for (EtcdDump.Entry entry; (entry = reader.next()) != null; ) {
        if (entry.v3() != null) {
          digest.add(entry.v3());
        } else {
          digest.add(entry.v2());
        }
      }
      trailer = reader.trailer();
    } catch (IllegalArgumentException e) {
      throw new InvalidBackupException("a line of the dump is not valid: " + e.getMessage());
    }
    if (trailer.at("/counts/v3").asLong() != digest.v3Count() || trailer.at("/counts/v2").asLong() != digest.v2Count()
        || !trailer.at("/digests/v3").asText().equals(digest.v3())
        || !trailer.at("/digests/v2").asText().equals(digest.v2())) {
      throw new InvalidBackupException("the dump holds " + digest.v3Count() + " v3 and " + digest.v2Count()
          + " v2 keys whose digests differ from its trailer's " + trailer.get("counts") + ": it was altered");
    }
    String backupId = header.path("backupId").asText();
    if (!BackupIds.isValid(backupId)) {
      throw new InvalidBackupException("the dump's header has no valid backupId (YYYYMMDD-HHMMSS.<cluster-id>)");
    }
    if (header.path("clusterId").asText().isBlank()) {
      throw new InvalidBackupException("the dump's header names no clusterId");
    }
    Map<String, Object> metadata = json.convertValue(header, new TypeReference<LinkedHashMap<String, Object>>() {});
    metadata.put("kind", EtcdDump.KIND);
    metadata.put("keyCount", digest.v3Count() + digest.v2Count());
    metadata.put("keyCounts", Map.of(EtcdDump.V3, digest.v3Count(), EtcdDump.V2, digest.v2Count()));
    metadata.put("digests", Map.of(EtcdDump.V3, digest.v3(), EtcdDump.V2, digest.v2()));
    if (trailer.has("hiddenRoots")) {
      metadata.put("hiddenRoots", json.convertValue(trailer.get("hiddenRoots"), Object.class));
    }
    Instant takenAt = instant(header.path("takenAt").asText());
    return new BackupDescription(backupId, EtcdDump.KIND, header.path("clusterId").asText(), metadata, null, takenAt,
        takenAt);
  }

  private static Instant instant(String text) {
    try {
      return text.isEmpty() ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidBackupException("the dump's header has takenAt '" + text + "', not an ISO instant");
    }
  }
}
