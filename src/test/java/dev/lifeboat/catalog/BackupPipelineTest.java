package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The pipeline's steps on H2 (Lifeboat's migrations) and an in-memory backup repository. */
class BackupPipelineTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00.250Z");
  private static final String KIND = "etcd-snapshot";

  private PipelineFixture fixture;
  private BackupPipeline pipeline;
  private InMemoryBackupRepository repository;

  @BeforeEach
  void setUp() {
    var database = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    PipelineFixture.migrate(database, null);
    fixture = new PipelineFixture(database);
    pipeline = fixture.pipeline;
    repository = fixture.repository;
  }

  @Test
  void idsOfOneSourceInOneSecondAreNumberedAndARetriedStepGetsItsOwnAgain() {
    assertThat(pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", "run-1")).isEqualTo("20261201-100000.cdf818194e3a8c32");
    assertThat(pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", "run-2")).isEqualTo("20261201-100000.cdf818194e3a8c32-2");
    assertThat(pipeline.reserveId(AT.plusMillis(500), KIND, "cdf818194e3a8c32", "run-1"))
        .as("retried take step").isEqualTo("20261201-100000.cdf818194e3a8c32");
    assertThat(pipeline.reserveId(AT, KIND, "8e9e05c52164694d", "run-1")).isEqualTo("20261201-100000.8e9e05c52164694d");
    assertThat(pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", null)).isEqualTo("20261201-100000.cdf818194e3a8c32-3");
    assertThat(pipeline.reserveId(AT.plusSeconds(1), KIND, "cdf818194e3a8c32", "run-4"))
        .isEqualTo("20261201-100001.cdf818194e3a8c32");
  }

  @Test
  void aRunGetsANewIdOnceItsFirstBackupIsStored() throws IOException {
    StagedArchive first = stagedArchive("run-1", "first");
    pipeline.store(first);
    assertThat(pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", "run-1")).isEqualTo(first.backupId() + "-2");
  }

  @Test
  void idsOfUploadedOrOlderArchivesAreSkipped() {
    repository.archives.put("20261201-100000.cdf818194e3a8c32.tar.gz", new byte[] {1});
    assertThat(pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", "run-1")).isEqualTo("20261201-100000.cdf818194e3a8c32-2");
  }

  @Test
  void aSourceThatCannotMakeAnIdIsRefused() {
    assertThatThrownBy(() -> pipeline.reserveId(AT, KIND, "x".repeat(81), "run-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    assertThatThrownBy(() -> pipeline.reserveId(AT, KIND, " ", "run-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anArchiveIsHashedVerifiedStoredAndCataloguedOnceEvenWhenEveryStepIsRetried() throws IOException {
    String backupId = pipeline.reserveId(AT, "juju-controller-backup", "5a8f0e21-2f5c-4d2d-8a5b-0c1d2e3f4a5b", "run-1");
    StagedArchive archive;
    try (ArchiveStaging staging = pipeline.stage("run-1", Checksum.SHA1_BASE64)) {
      staging.out().write("abc".getBytes(StandardCharsets.US_ASCII));
      staging.expect(Checksum.SHA1_BASE64, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", "juju backups");
      archive = staging.finish(description(backupId, "juju-controller-backup",
          "5a8f0e21-2f5c-4d2d-8a5b-0c1d2e3f4a5b"), "olivia");
    }
    assertThat(archive.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(archive.size()).isEqualTo(3);
    assertThat(archive.checksums()).containsExactly(Map.entry("sha1-base64", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="));
    assertThat(archive.problems()).isEmpty();
    assertThat(archive.runId()).isEqualTo("run-1");
    assertThat(fixture.json.readValue(fixture.json.writeValueAsString(archive), StagedArchive.class))
        .as("a process variable survives JSON").isEqualTo(archive);

    pipeline.verify(archive);
    pipeline.verify(archive);
    String path = pipeline.store(archive);
    assertThat(pipeline.store(archive)).isEqualTo(path).isEqualTo("memory:" + backupId + ".tar.gz");
    assertThat(repository.stagingIds()).isEmpty();
    Backup backup = pipeline.catalogue(archive);
    assertThat(pipeline.catalogue(archive)).isEqualTo(backup);

    Backup catalogued = fixture.catalog.find(backupId).orElseThrow();
    assertThat(catalogued.source()).isEqualTo("5a8f0e21-2f5c-4d2d-8a5b-0c1d2e3f4a5b");
    assertThat(catalogued.kind()).isEqualTo("juju-controller-backup");
    assertThat(catalogued.checksums()).containsEntry("sha1-base64", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
    assertThat(catalogued.sha256()).isEqualTo(archive.sha256());
    assertThat(catalogued.metadata()).containsEntry("controller", "lifeboat-test");
    assertThat(catalogued.createdBy()).isEqualTo("olivia");
    assertThat(catalogued.runId()).isEqualTo("run-1");
    assertThat(fixture.events).hasSize(1).first().isInstanceOf(BackupCreated.class);
  }

  @Test
  void bytesThatChangedAfterWritingAreCorrupt() throws IOException {
    StagedArchive archive = stagedArchive("run-1", "some archive bytes");
    repository.damage(archive.stagingId());
    assertThatThrownBy(() -> pipeline.verify(archive)).isInstanceOf(ArchiveCorruptException.class)
        .hasMessageContaining("changed after it was written").hasMessageContaining(archive.sha256());
  }

  @Test
  void aChecksumThePlatformReportedOtherwiseOrAProblemItFoundIsCorrupt() throws IOException {
    String backupId = pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", "run-1");
    try (ArchiveStaging staging = pipeline.stage("run-1", Checksum.SHA1_BASE64)) {
      staging.out().write("abd".getBytes(StandardCharsets.US_ASCII));
      staging.expect(Checksum.SHA1_BASE64, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", "juju backups");
      staging.problem("the snapshot's content does not match the sha256 etcd appended to it");
      StagedArchive archive = staging.finish(description(backupId, KIND, "cdf818194e3a8c32"), "olivia");
      assertThatThrownBy(() -> pipeline.verify(archive)).isInstanceOf(ArchiveCorruptException.class)
          .hasMessageContaining("sha1-base64").hasMessageContaining("juju backups reported qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
          .hasMessageContaining("does not match the sha256 etcd appended");
      pipeline.discard(archive);
    }
    assertThat(repository.stagingIds()).isEmpty();
  }

  @Test
  void anotherArchiveUnderTheSameIdIsNeverTakenForThisOne() throws IOException {
    StagedArchive first = stagedArchive("run-1", "first");
    StagedArchive second = new StagedArchive(stagedArchive("run-2", "second").stagingId(), first.backupId(),
        first.kind(), first.source(), "0".repeat(64), first.size(), Map.of(), List.of(), Map.of(), null,
        "oscar", "run-2", AT, AT);
    pipeline.store(first);
    pipeline.catalogue(first);
    assertThatThrownBy(() -> pipeline.store(second)).isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("different archive named " + first.backupId() + ".tar.gz");
    assertThatThrownBy(() -> pipeline.catalogue(second)).isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("already catalogued for another archive");
    assertThat(repository.stagingIds()).as("left for discarding").contains(second.stagingId());
  }

  @Test
  void stagingThatIsNotFinishedIsDiscarded() throws IOException {
    try (ArchiveStaging staging = pipeline.stage("run-1")) {
      staging.out().write(1);
    }
    assertThat(repository.stagingIds()).isEmpty();
  }

  @Test
  void onlyAComputedChecksumCanBeExpected() throws IOException {
    try (ArchiveStaging staging = pipeline.stage("run-1")) {
      assertThatThrownBy(() -> staging.expect(Checksum.SHA1_BASE64, "x", "juju"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private StagedArchive stagedArchive(String runId, String content) throws IOException {
    String backupId = pipeline.reserveId(AT, KIND, "cdf818194e3a8c32", runId);
    try (ArchiveStaging staging = pipeline.stage(runId)) {
      staging.out().write(content.getBytes(StandardCharsets.UTF_8));
      return staging.finish(description(backupId, KIND, "cdf818194e3a8c32"), "olivia");
    }
  }

  private static BackupDescription description(String backupId, String kind, String source) {
    return new BackupDescription(backupId, kind, source, Map.of("controller", "lifeboat-test"), "before upgrade",
        AT, AT.plusSeconds(3));
  }
}
