package dev.lifeboat.catalog;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Backup ids on H2, Lifeboat's default database (in memory here). */
class BackupIdsTest extends BackupIdsSuite {

  @Override
  DataSource database() {
    return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }
}
