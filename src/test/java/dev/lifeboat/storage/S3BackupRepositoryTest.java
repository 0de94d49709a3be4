package dev.lifeboat.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.objectstore.InMemoryObjectStore;
import dev.lifeboat.storage.BackupRepository.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The S3 repository's contract on the in-memory object store. */
class S3BackupRepositoryTest {

  private static final StorageProperties.S3 SETTINGS =
      new StorageProperties.S3("http://s3.example.org", "us-east-1", "backups", "lifeboat/", "s3");

  private InMemoryObjectStore store;
  private S3BackupRepository repository;

  @BeforeEach
  void create() throws IOException {
    store = new InMemoryObjectStore();
    store.createBucket("backups");
    repository = new S3BackupRepository(SETTINGS, store);
  }

  private static void write(Staging staging, String content) throws IOException {
    try (OutputStream out = staging.out()) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aCommittedArchiveIsOneObjectUnderThePrefixAndStagingIsEmpty() throws IOException {
    Staging staging = repository.stage("run-1");
    assertThat(staging.id()).startsWith("run-1/");
    write(staging, "archive bytes");
    assertThat(store.keys("backups")).containsExactly("lifeboat/.staging/" + staging.id());
    assertThat(read(repository.openStaged(staging.id()))).isEqualTo("archive bytes");
    assertThat(repository.stagedSize(staging.id())).isEqualTo(13);

    assertThat(repository.commit(staging.id(), "a.tar.gz")).isEqualTo("a.tar.gz");
    assertThat(store.keys("backups")).containsExactly("lifeboat/a.tar.gz");
    assertThat(repository.exists("a.tar.gz")).isTrue();
    assertThat(read(repository.open("a.tar.gz"))).isEqualTo("archive bytes");
    assertThat(repository.describe("a.tar.gz")).isEqualTo("s3://backups/lifeboat/a.tar.gz");

    repository.delete("a.tar.gz");
    assertThat(repository.exists("a.tar.gz")).isFalse();
    assertThatThrownBy(() -> repository.open("a.tar.gz")).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("s3://backups/lifeboat/");
  }

  @Test
  void listNamesWhatIsStoredUnderAPrefixButNeverStaging() throws IOException {
    for (String name : java.util.List.of("body-sha256-aa", "body-sha256-bb.age", "other.tar.gz")) {
      Staging staging = repository.stage("run-1");
      write(staging, name);
      repository.commit(staging.id(), name);
    }
    write(repository.stage("run-2"), "staged");
    assertThat(repository.list("body-sha256-")).extracting(BackupRepository.Stored::name, BackupRepository.Stored::size)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("body-sha256-aa", 14L),
            org.assertj.core.groups.Tuple.tuple("body-sha256-bb.age", 18L));
    assertThat(repository.list("")).hasSize(3);
  }

  @Test
  void commitRefusesToReplaceAnArchive() throws IOException {
    Staging first = repository.stage("run-1");
    write(first, "one");
    repository.commit(first.id(), "same.tar.gz");
    Staging second = repository.stage("run-2");
    write(second, "two");
    assertThatThrownBy(() -> repository.commit(second.id(), "same.tar.gz"))
        .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("exists already");
    assertThat(read(repository.open("same.tar.gz"))).isEqualTo("one");
  }

  @Test
  void aStagedArchiveStillBeingWrittenCannotBeReadYet() throws IOException {
    Staging staging = repository.stage("run-1");
    staging.out().write(42);
    assertThatThrownBy(() -> repository.openStaged(staging.id())).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("still being written");
    repository.discard(staging.id());
  }

  @Test
  void discardAbortsAnOpenUploadAndDeletesAClosedOne() throws IOException {
    Staging open = repository.stage("run-1");
    open.out().write(new byte[1000]);
    Staging closed = repository.stage("run-1");
    write(closed, "done");
    repository.discard(open.id());
    repository.discard(closed.id());
    assertThat(store.keys("backups")).isEmpty();
    assertThat(store.pendingUploads("backups", "")).isEmpty();
    assertThatThrownBy(() -> open.out().write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void discardStagedForTouchesOnlyThatRun() throws IOException {
    Staging a1 = repository.stage("run-a");
    a1.out().write(new byte[10]);
    Staging a2 = repository.stage("run-a");
    write(a2, "a2");
    Staging b = repository.stage("run-ab"); // a run id that starts with the other one
    write(b, "b");
    repository.discardStagedFor("run-a");
    assertThat(store.keys("backups")).containsExactly("lifeboat/.staging/" + b.id());
    assertThat(store.pendingUploads("backups", "")).isEmpty();

    repository.discardStagedFor("run-ab");
    assertThat(store.keys("backups")).isEmpty();
  }

  @Test
  void cleaningUpAfterACompletedRunKeepsItsArchive() throws IOException {
    Staging staging = repository.stage("run-1");
    write(staging, "kept");
    repository.commit(staging.id(), "kept.tar.gz");
    repository.discardStagedFor("run-1"); // every run's staging is cleaned when it ends
    assertThat(store.keys("backups")).containsExactly("lifeboat/kept.tar.gz");
  }

  @Test
  void namesThatCouldLeaveThePrefixAreRefused() {
    assertThatThrownBy(() -> repository.stage("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repository.open("../../other/key")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repository.openStaged("run/../../x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingBucketStopsStartUpSayingWhatToChange() {
    StorageProperties.S3 missing = new StorageProperties.S3(null, "us-east-1", "nope", "lifeboat/", "s3");
    assertThatThrownBy(() -> new S3BackupRepository(missing, store))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("does not exist: s3://nope at AWS S3 (us-east-1)")
        .hasMessageContaining("lifeboat.storage.s3.bucket");
  }

  @Test
  void anEmptyPrefixPutsArchivesAtTheBucketRoot() throws IOException {
    S3BackupRepository root = new S3BackupRepository(
        new StorageProperties.S3(null, null, "backups", "", "s3"), store);
    Staging staging = root.stage("run-1");
    write(staging, "x");
    root.commit(staging.id(), "root.tar.gz");
    assertThat(store.keys("backups")).containsExactly("root.tar.gz");
  }
}
