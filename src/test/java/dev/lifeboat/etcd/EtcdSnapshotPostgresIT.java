package dev.lifeboat.etcd;

import dev.lifeboat.testsupport.PostgresProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The same etcd-snapshot suite with a real PostgreSQL server as Lifeboat's database. */
class EtcdSnapshotPostgresIT extends EtcdSnapshotSuite {

  private PostgresProcess postgres;

  @Override
  Map<String, String> databaseProperties() {
    postgres = PostgresProcess.start();
    return Map.of(
        "spring.datasource.url", postgres.jdbcUrl(),
        "spring.datasource.username", postgres.username(),
        "spring.datasource.password", postgres.password());
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }
}
