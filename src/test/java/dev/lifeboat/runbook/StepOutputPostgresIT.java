package dev.lifeboat.runbook;

import dev.lifeboat.testsupport.PostgresProcess;
import dev.lifeboat.testsupport.Servers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The same with a real PostgreSQL server as Lifeboat's database (text columns refuse NUL there). */
class StepOutputPostgresIT extends StepOutputSuite {

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
    // Lifeboat first: it still uses the database as it stops.
    Servers.closeAll(lifeboat, postgres);
    lifeboat = null;
  }
}
