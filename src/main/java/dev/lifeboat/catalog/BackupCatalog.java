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
              created_by, run_id, created_at, started_at, finished_at, schedule_name, encrypted, plaintext_sha256)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(backup.id(), backup.kind(), backup.source(), backup.sha256(), backup.size(),
            write(backup.checksums()), backup.location(), write(backup.metadata()), backup.notes(), backup.createdBy(),
            backup.runId(), timestamp(backup.createdAt()), timestamp(backup.startedAt()), timestamp(backup.finishedAt()),
            backup.schedule(), backup.encrypted(), backup.plaintextSha256())
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

  /** Every backup of one source of one kind, newest first. */
  public List<Backup> listSource(String kind, String source) {
    return jdbc.sql("select * from backups where kind = ? and source = ? order by created_at desc, id desc")
        .params(kind, source).query(this::backup).list();
  }

  /** The backups a run catalogued (a backup runbook's run makes one). */
  public List<Backup> madeBy(String runId) {
    return jdbc.sql("select * from backups where run_id = ? order by created_at desc, id")
        .param(runId).query(this::backup).list();
  }

  /** Every (kind, source) that has a backup, sorted. */
  public List<Source> sources() {
    return jdbc.sql("select kind, source from backups group by kind, source order by kind, source")
        .query((rs, n) -> new Source(rs.getString(1), rs.getString(2))).list();
  }

  /** What was backed up: retention and freshness go by this. */
  public record Source(String kind, String source) {}

  /**
   * Freshness of every source: newest backup, newest proof, and the schedule of its newest scheduled
   * backup (null when it has none).
   */
  public List<SourceFreshness> freshness() {
    return jdbc.sql("""
            select b.kind, b.source, max(b.created_at) as last_success, max(b.verified_at) as last_verified,
              count(*) as backups,
              (select s.schedule_name from backups s where s.kind = b.kind and s.source = b.source
                 and s.schedule_name is not null order by s.created_at desc, s.id desc limit 1) as schedule_name
            from backups b group by b.kind, b.source order by b.kind, b.source""")
        .query((rs, n) -> new SourceFreshness(rs.getString("kind"), rs.getString("source"),
            instant(rs.getTimestamp("last_success")), instant(rs.getTimestamp("last_verified")),
            rs.getLong("backups"), rs.getString("schedule_name")))
        .list();
  }

  /** The newest backup and newest proof of one source, and the schedule that makes its backups. */
  public record SourceFreshness(String kind, String source, Instant lastSuccess, Instant lastVerified, long backups,
      String schedule) {}

  /**
   * Records a proof run's result on the backup: a success moves {@code verifiedAt}; a failure keeps
   * the last success's time but marks the newest proof FAILED. False when the backup is gone.
   */
  public boolean recordProof(String id, Map<String, Object> proof, Instant verifiedAt) {
    if (verifiedAt != null) {
      return jdbc.sql("update backups set proof = ?, verified_at = ? where id = ?")
          .params(write(proof), timestamp(verifiedAt), id).update() == 1;
    }
    return jdbc.sql("update backups set proof = ? where id = ?").params(write(proof), id).update() == 1;
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
        rs.getString("schedule_name"),
        instant(rs.getTimestamp("verified_at")),
        rs.getString("proof") == null ? null : read(rs.getString("proof"), MAP),
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
