package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectTransfersTest {

  @TempDir
  Path temp;

  @Test
  void keysThatWouldEscapeTheTargetAreReportedAndNotWritten() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore(3);
    store.createBucket("b");
    for (String key : new String[] {"p/ok/a", "p/../../evil", "p/", "p/ok/../../also-evil", "p/ok/b"}) {
      store.put("b", key, new ByteArrayInputStream(key.getBytes()), key.length());
    }
    Path target = temp.resolve("target");
    ObjectTransfers.Report report = ObjectTransfers.download(store, "b", "p/", target, 2);
    assertThat(report.objects()).isEqualTo(2);
    assertThat(report.failures()).containsOnlyKeys("p/../../evil", "p/ok/../../also-evil");
    assertThat(report.failures().values()).allMatch(reason -> reason.contains("outside the target directory"));
    assertThat(target.resolve("ok/a")).hasContent("p/ok/a");
    assertThat(temp.resolve("evil")).doesNotExist();
    assertThat(temp.resolve("also-evil")).doesNotExist();
    try (var files = Files.list(target.resolve("ok"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("a", "b");
    }
  }

  @Test
  void oneFailingObjectDoesNotStopTheOthers() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Path source = temp.resolve("source");
    Files.createDirectories(source.resolve("d"));
    Files.writeString(source.resolve("d/one"), "1");
    Files.writeString(source.resolve("two"), "22");
    // No bucket: every put fails, and each failure is reported by name.
    ObjectTransfers.Report report = ObjectTransfers.upload(store, "missing", "x/", source, 4);
    assertThat(report.complete()).isFalse();
    assertThat(report.failures()).containsOnlyKeys("x/d/one", "x/two");
    assertThat(report.failures().get("x/two")).contains("NoSuchBucket");
  }
}
