package dev.lifeboat.audit;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.PostgresProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The audit trail on a real PostgreSQL: one chain however many writers, and the database itself
 * refusing to change or remove events, for Lifeboat's own role and for the superuser alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditPostgresIT {

  PostgresProcess postgres;
  LifeboatApp lifeboat;

  @BeforeAll
  void start(@TempDir Path temp) {
    postgres = PostgresProcess.start();
    lifeboat = LifeboatApp.start(temp, Map.of(
        "spring.datasource.url", postgres.jdbcUrl(),
        "spring.datasource.username", postgres.username(),
        "spring.datasource.password", postgres.password()));
  }

  @AfterAll
  void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void twoWritersWithTheirOwnConnectionsAppendOneUnbrokenChain() throws Exception {
    AuditTrail first = lifeboat.context().getBean(AuditTrail.class);
    AuditTrail second = secondInstance();
    long before = count();
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> appends = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        AuditTrail trail = i % 2 == 0 ? first : second;
        int n = i;
        appends.add(threads.submit(() -> trail.append(AuditEntry.of(AuditAction.BACKUP_DOWNLOADED, "writer-" + n % 2,
            Map.of("n", n)))));
      }
      for (Future<?> append : appends) {
        append.get();
      }
    } finally {
      threads.shutdown();
    }
    assertThat(count()).isEqualTo(before + 120);
    assertThat(postgres.psql("select count(distinct prev_hash) = count(*), max(seq) = count(*) from audit_events"))
        .isEqualTo("t|t");
    JsonNode verified = lifeboat.get(AUDITOR, "/api/audit/verify").json();
    assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("events").asLong()).isEqualTo(before + 120);
  }

  @Test
  void theDatabaseRefusesUpdateDeleteAndTruncateOfEvents() throws SQLException {
    assertThat(count()).isPositive(); // at least the users recorded at start-up
    for (String sql : List.of(
        "update audit_events set actor = 'mallory' where seq = 1",
        "delete from audit_events where seq = 1",
        "truncate audit_events",
        "update audit_chain_head set seq = 0, hash = '" + AuditHash.GENESIS + "'",
        "delete from audit_chain_head")) {
      assertThatThrownBy(() -> asLifeboat(sql)).as("as Lifeboat's role: " + sql)
          .isInstanceOf(SQLException.class).hasMessageContaining("refused");
      assertThatThrownBy(() -> postgres.psql(sql)).as("as superuser: " + sql)
          .hasMessageContaining("refused");
    }
    assertThat(postgres.psql("select actor from audit_events where seq = 1")).isEqualTo("lifeboat");
    JsonNode verified = lifeboat.get(AUDITOR, "/api/audit/verify").json();
    assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
  }

  @Test
  void searchAndExportWorkOnPostgresToo() throws Exception {
    lifeboat.context().getBean(AuditTrail.class).append(new AuditEntry(AuditAction.RUN_CANCELED, "pg-tester",
        "11111111-2222-3333-4444-555555555555", null, "etcd-snapshot", Map.of("note", "ünïcödé, \"quoted\"")));
    JsonNode page = lifeboat.get(AUDITOR, "/api/audit?actor=pg-tester&runbook=etcd-snapshot&from=2000-01-01T00:00:00Z")
        .json();
    assertThat(page.get("total").asLong()).isEqualTo(1);
    assertThat(page.get("events").get(0).get("details").get("note").asText()).isEqualTo("ünïcödé, \"quoted\"");
    JsonNode exported = new ObjectMapper().readTree(
        lifeboat.get(AUDITOR, "/api/audit/export?format=json&runId=11111111-2222-3333-4444-555555555555").body());
    assertThat(exported).hasSize(1);
    assertThat(exported.get(0).get("hash").asText()).isEqualTo(page.get("events").get(0).get("hash").asText());
  }

  /** What a second Lifeboat on the same database would be: its own connections, its own trail. */
  private AuditTrail secondInstance() {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
        postgres.password());
    JdbcClient jdbc = JdbcClient.create(dataSource);
    ObjectMapper json = new ObjectMapper();
    return new AuditTrail(jdbc, json, Clock.systemUTC(), new DataSourceTransactionManager(dataSource),
        new AuditQuery(jdbc, json));
  }

  private long count() {
    return Long.parseLong(postgres.psql("select count(*) from audit_events"));
  }

  private void asLifeboat(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
        postgres.password()); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
