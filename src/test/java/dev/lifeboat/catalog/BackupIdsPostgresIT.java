package dev.lifeboat.catalog;

import dev.lifeboat.testsupport.PostgresProcess;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Backup ids and the V4 migration on a real PostgreSQL server. */
class BackupIdsPostgresIT extends BackupIdsSuite {

  private PostgresProcess postgres;

  @Override
  DataSource database() {
    postgres = PostgresProcess.start();
    return new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }
}
