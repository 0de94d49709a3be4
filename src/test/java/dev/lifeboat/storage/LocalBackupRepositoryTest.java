package dev.lifeboat.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local repository's listing: what is stored under a prefix, never staging, never a sub-directory. */
class LocalBackupRepositoryTest {

  @TempDir
  Path directory;

  @Test
  void listNamesWhatIsStoredUnderAPrefixButNeverStaging() throws IOException {
    LocalBackupRepository repository = new LocalBackupRepository(
        new StorageProperties(StorageProperties.Type.LOCAL, new StorageProperties.Local(directory), null));
    for (String name : List.of("body-sha256-aa", "body-sha256-bb.age", "other.tar.gz")) {
      BackupRepository.Staging staging = repository.stage("run-1");
      try (OutputStream out = staging.out()) {
        out.write(name.getBytes(StandardCharsets.UTF_8));
      }
      repository.commit(staging.id(), name);
    }
    try (OutputStream out = repository.stage("run-2").out()) {
      out.write(1);
    }
    Files.createDirectories(directory.resolve("body-sha256-dir"));

    assertThat(repository.list("body-sha256-"))
        .extracting(BackupRepository.Stored::name, BackupRepository.Stored::size)
        .containsExactlyInAnyOrder(tuple("body-sha256-aa", 14L), tuple("body-sha256-bb.age", 18L));
    assertThat(repository.list("")).hasSize(3).allSatisfy(stored -> assertThat(stored.modified()).isNotNull());
  }
}
