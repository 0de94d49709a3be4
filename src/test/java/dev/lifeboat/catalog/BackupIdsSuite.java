package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backup id reservation and the V4 migration on a real database; subclasses choose which.
 * Before V4 runs, the catalogue holds an entry whose source is the old JSON object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackupIdsSuite {

  private static final String LEGACY_ID = "20251101-120000.cdf818194e3a8c32";

  PipelineFixture fixture;

  abstract DataSource database();

  @BeforeAll
  void migrateWithALegacyEntry() {
    DataSource database = database();
    PipelineFixture.migrate(database, "3");
    Timestamp at = Timestamp.from(Instant.parse("2025-11-01T12:00:00Z"));
    JdbcClient.create(database).sql("""
            insert into backups (id, kind, source, sha256, size_bytes, location, metadata, created_at)
            values (?, 'etcd-snapshot', ?, ?, 42, ?, '{}', ?)""")
        .params(LEGACY_ID,
            "{\"endpoints\":[\"http://10.0.0.5:2379\"],\"clusterId\":\"cdf818194e3a8c32\",\"etcdVersion\":\"3.4.30\","
                + "\"revision\":17,\"keyCount\":3,\"memberCount\":1}",
            "a".repeat(64), LEGACY_ID + ".tar.gz", at)
        .update();
    PipelineFixture.migrate(database, null);
    fixture = new PipelineFixture(database);
  }

  @Test
  void anEntryFromBeforeV4HasItsClusterIdAsSource() {
    Backup legacy = fixture.catalog.find(LEGACY_ID).orElseThrow();
    assertThat(legacy.source()).isEqualTo("cdf818194e3a8c32");
    assertThat(legacy.checksums()).isEmpty();
  }

  @Test
  void anIdInTheCatalogueFromBeforeV4IsNotHandedOutAgain() {
    assertThat(fixture.pipeline.reserveId(Instant.parse("2025-11-01T12:00:00.900Z"), "etcd-snapshot",
        "cdf818194e3a8c32", "run-after-upgrade")).isEqualTo(LEGACY_ID + "-2");
  }

  @Test
  void simultaneousRunsOnOneSourceNeverShareAnId() throws Exception {
    int runs = 12;
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(runs);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String runId = "run-" + i;
        ids.add(threads.submit(() -> {
          start.await();
          return fixture.pipeline.reserveId(at, "etcd-snapshot", "8e9e05c52164694d", runId);
        }));
      }
      start.countDown();
      Set<String> expected = new HashSet<>(Set.of("20261201-100000.8e9e05c52164694d"));
      for (int n = 2; n <= runs; n++) {
        expected.add("20261201-100000.8e9e05c52164694d-" + n);
      }
      Set<String> reserved = new HashSet<>();
      for (Future<String> id : ids) {
        reserved.add(id.get());
      }
      assertThat(reserved).isEqualTo(expected);
    } finally {
      threads.shutdownNow();
    }
  }
}
