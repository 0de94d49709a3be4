package dev.lifeboat.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Backup ids handed out, one row each: the primary key makes a reservation atomic, also between
 * several Lifeboat instances on one database. Rows stay, so an id never means two archives.
 */
@Repository
class BackupIdReservations {

  private final JdbcClient jdbc;

  BackupIdReservations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** False when somebody else holds the id already. */
  boolean reserve(String id, String kind, String source, String runId, Instant at) {
    try {
      jdbc.sql("insert into backup_ids (id, kind, source, run_id, reserved_at) values (?, ?, ?, ?, ?)")
          .params(id, kind, source, runId, Timestamp.from(at))
          .update();
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  /** The ids this run reserved before for this kind and source, oldest first. */
  List<String> reservedBy(String runId, String kind, String source) {
    return jdbc.sql("select id from backup_ids where run_id = ? and kind = ? and source = ? order by reserved_at, id")
        .params(runId, kind, source)
        .query(String.class)
        .list();
  }
}
