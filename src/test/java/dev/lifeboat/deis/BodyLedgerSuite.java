package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** {@link JdbcBodyLedger} and the V13 migration on a real database; subclasses choose which. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BodyLedgerSuite {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  JdbcTemplate jdbc;
  JdbcBodyLedger ledger;

  abstract DataSource database();

  @BeforeAll
  void migrate() {
    DataSource database = database();
    Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
    jdbc = new JdbcTemplate(database);
    ledger = new JdbcBodyLedger(jdbc, new DataSourceTransactionManager(database));
  }

  private void run(String id, String status) {
    jdbc.update("insert into runs (id, runbook, status, initiator, parameters, outputs, created_at)"
        + " values (?, 'deis-store-backup', ?, 'olivia', '{}', '{}', ?)", id, status, Timestamp.from(T0));
  }

  private void reserve(String backupId, String runId, Instant at) {
    jdbc.update("insert into backup_ids (id, kind, source, run_id, reserved_at) values (?, 'deis-store-backup', 'c', ?, ?)",
        backupId, runId, Timestamp.from(at));
  }

  private void catalogue(String backupId) {
    jdbc.update("insert into backups (id, kind, source, sha256, size_bytes, location, metadata, created_at)"
        + " values (?, 'deis-store-backup', 'c', ?, 1, ?, '{}', ?)", backupId, "a".repeat(64), backupId + ".tar.gz",
        Timestamp.from(T0));
  }

  private Instant claimOf(String body) {
    List<Timestamp> at = jdbc.queryForList("select claimed_at from part_claims where part = ?", Timestamp.class, body);
    return at.isEmpty() ? null : at.getFirst().toInstant();
  }

  @Test
  void referencesOfCataloguedSetsBackupsInProgressAndSetsWithoutReferences() {
    run("r-done", "COMPLETED");
    run("r-running", "RUNNING");
    run("r-interrupted", "INTERRUPTED");
    run("r-failed", "FAILED");
    reserve("set-done", "r-done", T0);
    catalogue("set-done");
    reserve("set-running", "r-running", T0.plusSeconds(300));
    reserve("set-interrupted", "r-interrupted", T0.plusSeconds(200));
    reserve("set-failed", "r-failed", T0.plusSeconds(100));
    catalogue("set-legacy");

    ledger.reference("set-done", List.of("body-sha256-1", "body-sha256-2"));
    ledger.reference("set-done", List.of("body-sha256-1", "body-sha256-2")); // a retried step
    ledger.reference("set-running", List.of("body-sha256-3"));

    assertThat(ledger.referenced()).isEqualTo(Set.of("body-sha256-1", "body-sha256-2"));
    assertThat(ledger.unrecorded("deis-store-backup")).containsExactly("set-legacy");
    assertThat(ledger.oldestInProgress("deis-store-backup")).hasValue(T0.plusSeconds(200));
    assertThat(ledger.oldestInProgress("etcd-snapshot")).isEmpty();
    ledger.forget("set-running"); // not catalogued: its references go
    ledger.forget("set-done"); // still catalogued: kept
    assertThat(jdbc.queryForObject("select count(*) from backup_parts", Integer.class)).isEqualTo(2);
  }

  @Test
  void aClaimYoungerThanTheCutoffOrAReferenceKeepsABodyAnOldUnreferencedOneGoes() throws Exception {
    ledger.claim(List.of("body-sha256-young", "body-sha256-old"), T0);
    ledger.claim(List.of("body-sha256-young"), T0.plusSeconds(60));
    assertThat(claimOf("body-sha256-young")).isEqualTo(T0.plusSeconds(60));
    List<String> removed = new java.util.ArrayList<>();

    assertThat(ledger.removeUnclaimed("body-sha256-young", T0.plusSeconds(30), T0, () -> removed.add("young")))
        .isFalse();
    assertThat(ledger.removeUnclaimed("body-sha256-old", T0.plusSeconds(30), T0, () -> removed.add("old"))).isTrue();
    assertThat(ledger.removeUnclaimed("body-sha256-never-claimed", T0.plusSeconds(30), T0.plusSeconds(40),
        () -> removed.add("written after the cutoff"))).isFalse();
    catalogue("set-refs");
    ledger.reference("set-refs", List.of("body-sha256-referenced"));
    assertThat(ledger.removeUnclaimed("body-sha256-referenced", T0.plusSeconds(30), T0, () -> removed.add("ref")))
        .isFalse();

    assertThat(removed).containsExactly("old");
    assertThat(claimOf("body-sha256-old")).isNull();
  }

  /** A claim made while a sweep holds the body's lock waits for it, then stands on its own. */
  @Test
  void aClaimDuringARemovalWaitsForItAndIsRecordedAfresh() throws Exception {
    ledger.claim(List.of("body-sha256-contended"), T0);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> sweep = CompletableFuture.supplyAsync(() -> {
      try {
        return ledger.removeUnclaimed("body-sha256-contended", T0.plusSeconds(30), T0, () -> {
          locked.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> claim = CompletableFuture.runAsync(
        () -> ledger.claim(List.of("body-sha256-contended"), T0.plusSeconds(90)));
    Thread.sleep(200);
    assertThat(claim).as("waits for the sweep's lock").isNotDone();
    release.countDown();
    assertThat(sweep.get(5, TimeUnit.SECONDS)).isTrue();
    claim.get(5, TimeUnit.SECONDS);
    assertThat(claimOf("body-sha256-contended")).isEqualTo(T0.plusSeconds(90));
  }
}
