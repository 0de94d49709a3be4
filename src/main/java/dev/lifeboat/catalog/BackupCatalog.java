package dev.lifeboat.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The catalogue of backups in Lifeboat's database. */
@Repository
public class BackupCatalog {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<TreeMap<String, String>> CHECKSUMS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final ApplicationEventPublisher events;

  BackupCatalog(JdbcClient jdbc, ObjectMapper json, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.json = json;
    this.events = events;
  }

  /**
   * Catalogues a backup and publishes {@link BackupCreated}: every way into the catalogue is audited.
   * Runs and uploads catalogue through {@link BackupPipeline}, which verifies and stores first.
   */
  public void add(Backup backup) {
    jdbc.sql("""
            insert into backups (id, kind, source, sha256, size_bytes, checksums, location, metadata, notes,
              created_by, run_id, created_at, started_at, finished_at, encrypted, plaintext_sha256)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(backup.id(), backup.kind(), backup.source(), backup.sha256(), backup.size(),
            write(backup.checksums()), backup.location(), write(backup.metadata()), backup.notes(), backup.createdBy(),
            backup.runId(), timestamp(backup.createdAt()), timestamp(backup.startedAt()), timestamp(backup.finishedAt()),
            backup.encrypted(), backup.plaintextSha256())
        .update();
    events.publishEvent(new BackupCreated(backup.id(), backup.kind(), backup.createdBy(), backup.runId(),
        backup.sha256(), backup.size()));
  }

  public Optional<Backup> find(String id) {
    return jdbc.sql("select * from backups where id = ?").param(id).query(this::backup).optional();
  }

  public boolean exists(String id) {
    return jdbc.sql("select count(*) from backups where id = ?").param(id).query(Long.class).single() > 0;
  }

  public List<Backup> list(String kind, int limit, int offset) {
    if (kind == null) {
      return jdbc.sql("select * from backups order by created_at desc, id limit ? offset ?")
          .params(limit, offset).query(this::backup).list();
    }
    return jdbc.sql("select * from backups where kind = ? order by created_at desc, id limit ? offset ?")
        .params(kind, limit, offset).query(this::backup).list();
  }

  boolean remove(String id) {
    return jdbc.sql("delete from backups where id = ?").param(id).update() == 1;
  }

  private Backup backup(ResultSet rs, int row) throws SQLException {
    return new Backup(
        rs.getString("id"),
        rs.getString("kind"),
        rs.getString("source"),
        rs.getString("sha256"),
        rs.getLong("size_bytes"),
        read(rs.getString("checksums"), CHECKSUMS),
        rs.getString("location"),
        read(rs.getString("metadata"), MAP),
        rs.getString("notes"),
        rs.getString("created_by"),
        rs.getString("run_id"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")),
        rs.getBoolean("encrypted"),
        rs.getString("plaintext_sha256") == null ? rs.getString("sha256") : rs.getString("plaintext_sha256"));
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private String write(Map<String, ?> map) {
    try {
      return json.writeValueAsString(map == null ? Map.of() : map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Entries catalogued before extra checksums existed have none. */
  private <T extends Map<String, ?>> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text == null ? "{}" : text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON in backups table: " + e.getMessage(), e);
    }
  }
}
