package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void forEachVisitsEveryObjectOfEveryPageAtMostParallelismAtATime() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore(3);
    store.createBucket("db_wal");
    for (int i = 0; i < 10; i++) {
      String key = "wal_005/" + i;
      store.put("db_wal", key, new ByteArrayInputStream(new byte[i]), i);
    }
    store.put("db_wal", "wal_005/", new ByteArrayInputStream(new byte[0]), 0);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ObjectTransfers.Report report = ObjectTransfers.forEach(store, "db_wal", "", 2, object -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(5);
        if (object.key().equals("wal_005/7")) {
          throw new IOException("gateway said 503");
        }
        seen.add(object.key());
        return object.size();
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        running.decrementAndGet();
      }
    });
    assertThat(seen).hasSize(9).doesNotContain("wal_005/", "wal_005/7");
    assertThat(report.objects()).isEqualTo(9);
    assertThat(report.bytes()).isEqualTo(45 - 7);
    assertThat(report.failures()).containsExactly(Map.entry("wal_005/7", "gateway said 503"));
    assertThat(most.get()).isBetween(1, 2);
  }

  @Test
  void eachReportsFailedItemsByName() throws IOException {
    ObjectTransfers.Report report = ObjectTransfers.each(List.of(1, 2, 3), n -> "item " + n, 3, n -> {
      if (n == 2) {
        throw new IOException("no");
      }
      return n;
    });
    assertThat(report.objects()).isEqualTo(2);
    assertThat(report.bytes()).isEqualTo(4);
    assertThat(report.failures()).containsExactly(Map.entry("item 2", "no"));
  }
}
