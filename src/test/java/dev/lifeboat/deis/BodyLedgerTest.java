package dev.lifeboat.deis;

import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link JdbcBodyLedger} on H2, Lifeboat's default database. */
class BodyLedgerTest extends BodyLedgerSuite {

  @Override
  DataSource database() {
    return new DriverManagerDataSource("jdbc:h2:mem:body-ledger;DB_CLOSE_DELAY=-1", "sa", "");
  }
}
