package dev.lifeboat.deis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link BodyLedger} in the database (V13), shared by every Lifeboat instance on it. */
@Repository
class JdbcBodyLedger implements BodyLedger {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate newTransaction;

  JdbcBodyLedger(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.newTransaction = new TransactionTemplate(transactions);
    this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  public void claim(Collection<String> bodies, Instant at) {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(bodies));
    Timestamp when = Timestamp.from(at);
    // Each update commits on its own (no surrounding transaction): a sweep sees it at once, and an
    // update waits while a sweep holds the row's lock.
    int[][] updated = jdbc.batchUpdate("update part_claims set claimed_at = ? where part = ?", names, 500,
        (statement, name) -> {
          statement.setTimestamp(1, when);
          statement.setString(2, name);
        });
    int i = 0;
    for (int[] batch : updated) {
      for (int count : batch) {
        if (count == 0) {
          insertOrUpdate(names.get(i), when);
        }
        i++;
      }
    }
  }

  private void insertOrUpdate(String name, Timestamp when) {
    while (true) {
      try {
        jdbc.update("insert into part_claims (part, claimed_at) values (?, ?)", name, when);
        return;
      } catch (DuplicateKeyException claimedMeanwhile) {
        if (jdbc.update("update part_claims set claimed_at = ? where part = ?", when, name) > 0) {
          return;
        }
        // removed by a sweep in between: insert again
      }
    }
  }

  @Override
  public void reference(String backupId, Collection<String> bodies) {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(bodies));
    newTransaction.executeWithoutResult(status -> {
      jdbc.update("delete from backup_parts where backup_id = ?", backupId); // a retried step records afresh
      jdbc.batchUpdate("insert into backup_parts (backup_id, part) values (?, ?)", names, 500,
          (statement, name) -> {
            statement.setString(1, backupId);
            statement.setString(2, name);
          });
    });
  }

  @Override
  public void forget(String backupId) {
    jdbc.update("delete from backup_parts where backup_id = ? and not exists (select 1 from backups b where b.id = ?)",
        backupId, backupId);
  }

  @Override
  public Set<String> referenced() {
    return new HashSet<>(jdbc.queryForList(
        "select distinct p.part from backup_parts p join backups b on b.id = p.backup_id", String.class));
  }

  @Override
  public List<String> unrecorded(String kind) {
    return jdbc.queryForList("select b.id from backups b where b.kind = ?"
        + " and not exists (select 1 from backup_parts p where p.backup_id = b.id) order by b.id", String.class, kind);
  }

  @Override
  public Optional<Instant> oldestInProgress(String kind) {
    Timestamp oldest = jdbc.queryForObject("select min(i.reserved_at) from backup_ids i join runs r on r.id = i.run_id"
        + " where i.kind = ? and r.status in ('RUNNING', 'WAITING_FOR_APPROVAL', 'INTERRUPTED')"
        + " and not exists (select 1 from backups b where b.id = i.id)", Timestamp.class, kind);
    return Optional.ofNullable(oldest).map(Timestamp::toInstant);
  }

  @Override
  public boolean removeUnclaimed(String body, Instant cutoff, Instant unclaimedSince, Removal remove)
      throws IOException {
    try {
      jdbc.update("insert into part_claims (part, claimed_at) values (?, ?)", body, Timestamp.from(unclaimedSince));
    } catch (DuplicateKeyException claimed) {
      // the usual case: its claim is there
    }
    try {
      Boolean removed = newTransaction.execute(status -> {
        List<Timestamp> claimed = jdbc.queryForList("select claimed_at from part_claims where part = ? for update",
            Timestamp.class, body);
        if (claimed.isEmpty() || !claimed.getFirst().toInstant().isBefore(cutoff)) {
          return false; // swept meanwhile by another instance, or claimed by a run
        }
        Integer references = jdbc.queryForObject("select count(*) from backup_parts p join backups b"
            + " on b.id = p.backup_id where p.part = ?", Integer.class, body);
        if (references != null && references > 0) {
          return false;
        }
        try {
          remove.run();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        jdbc.update("delete from part_claims where part = ?", body);
        return true;
      });
      return Boolean.TRUE.equals(removed);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
