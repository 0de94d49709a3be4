package dev.lifeboat.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.encryption.EncryptionProperties;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A backup pipeline on a real database (Lifeboat's migrations) and an in-memory backup repository. */
final class PipelineFixture {

  final JdbcClient jdbc;
  final BackupCatalog catalog;
  final InMemoryBackupRepository repository = new InMemoryBackupRepository();
  final BackupPipeline pipeline;
  final List<Object> events = new CopyOnWriteArrayList<>();
  final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

  /** On a database that Lifeboat's migrations have been run on. */
  PipelineFixture(DataSource database) {
    this.jdbc = JdbcClient.create(database);
    this.catalog = new BackupCatalog(jdbc, json, events::add);
    this.pipeline = new BackupPipeline(new BackupIdReservations(jdbc), catalog, repository,
        new AgeEncryption(new EncryptionProperties(null, null)), Clock.systemUTC());
  }

  /** Lifeboat's migrations, up to {@code version} (all when null). */
  static void migrate(DataSource database, String version) {
    var flyway = Flyway.configure().dataSource(database).locations("classpath:db/migration");
    if (version != null) {
      flyway.target(version);
    }
    flyway.load().migrate();
  }
}
