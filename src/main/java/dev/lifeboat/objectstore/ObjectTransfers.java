package dev.lifeboat.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Many objects at once with bounded parallelism (gateways such as Ceph's fall over under unbounded
 * fan-out), reporting every object that failed instead of stopping at, or hiding, the first.
 */
public final class ObjectTransfers {

  /** What was transferred, and why each object that failed did (key or path → reason). */
  public record Report(int objects, long bytes, Map<String, String> failures) {

    public Report {
      failures = Map.copyOf(failures);
    }

    public boolean complete() {
      return failures.isEmpty();
    }
  }

  private ObjectTransfers() {}

  /**
   * Uploads every regular file under {@code directory} as {@code prefix + relative path} ('/'
   * separated). Symbolic links are not followed.
   */
  public static Report upload(ObjectStore store, String bucket, String prefix, Path directory, int parallelism)
      throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    try (Batch batch = new Batch(parallelism); Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String key = prefix + root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        batch.submit(key, () -> {
          long size = Files.size(file);
          try (InputStream in = Files.newInputStream(file)) {
            store.put(bucket, key, in, size);
          }
          return size;
        });
      }
      return batch.report();
    }
  }

  /**
   * Downloads every object under {@code prefix} to {@code directory/<key without the prefix>}, each
   * through a temporary file so a failed object leaves no partial file. A key that would land
   * outside {@code directory} ({@code ..}, absolute) is refused and reported.
   */
  public static Report download(ObjectStore store, String bucket, String prefix, Path directory, int parallelism)
      throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (Batch batch = new Batch(parallelism)) {
      String token = null;
      do {
        ObjectPage page = store.list(bucket, prefix, token);
        for (ObjectInfo object : page.objects()) {
          if (object.key().endsWith("/")) {
            continue; // a "folder" marker some tools create; it holds nothing
          }
          batch.submit(object.key(), () -> {
            Path target = target(root, object.key().substring(prefix.length()));
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), ".lifeboat-", ".partial");
            try (InputStream in = store.get(bucket, object.key())) {
              long size = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
              Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
              return size;
            } finally {
              Files.deleteIfExists(partial);
            }
          });
        }
        token = page.nextPageToken();
      } while (token != null);
      return batch.report();
    }
  }

  /** What to do with one listed object; returns the bytes it transferred (0 when it transferred none). */
  @FunctionalInterface
  public interface ObjectAction {
    long apply(ObjectInfo object) throws IOException;
  }

  /**
   * Applies {@code action} to every object under {@code prefix} (folder markers skipped), at most
   * {@code parallelism} at a time, page by page as the listing comes. A failed object is reported
   * under its key; the others go on.
   */
  public static Report forEach(ObjectStore store, String bucket, String prefix, int parallelism, ObjectAction action)
      throws IOException {
    try (Batch batch = new Batch(parallelism)) {
      String token = null;
      do {
        ObjectPage page = store.list(bucket, prefix, token);
        for (ObjectInfo object : page.objects()) {
          if (!object.key().endsWith("/")) {
            batch.submit(object.key(), () -> action.apply(object));
          }
        }
        token = page.nextPageToken();
      } while (token != null);
      return batch.report();
    }
  }

  /** One transfer of many (an upload from a list the caller holds); returns the bytes it moved. */
  @FunctionalInterface
  public interface ItemAction<T> {
    long apply(T item) throws IOException;
  }

  /**
   * Applies {@code action} to every item, at most {@code parallelism} at a time; a failed item is
   * reported under {@code name.apply(item)} and the others go on.
   */
  public static <T> Report each(Iterable<T> items, Function<T, String> name, int parallelism,
      ItemAction<T> action) throws IOException {
    try (Batch batch = new Batch(parallelism)) {
      for (T item : items) {
        batch.submit(name.apply(item), () -> action.apply(item));
      }
      return batch.report();
    }
  }

  /** Where an object lands; refuses relative names that climb out of the directory. */
  static Path target(Path root, String relative) throws IOException {
    if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
      throw new IOException("the key does not name a file below the target directory");
    }
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IOException("the key would be written outside the target directory");
    }
    return target;
  }

  @FunctionalInterface
  private interface Transfer {
    long run() throws IOException;
  }

  /** At most {@code parallelism} transfers at a time; the caller waits when that many are queued. */
  private static final class Batch implements AutoCloseable {
    private final ExecutorService pool;
    private final Semaphore slots;
    private final AtomicInteger objects = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    Batch(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1");
      }
      pool = Executors.newFixedThreadPool(parallelism);
      slots = new Semaphore(parallelism);
    }

    void submit(String name, Transfer transfer) throws IOException {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while transferring " + name);
      }
      pool.execute(() -> {
        try {
          bytes.addAndGet(transfer.run());
          objects.incrementAndGet();
        } catch (IOException | RuntimeException e) {
          failures.put(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
          slots.release();
        }
      });
    }

    Report report() throws IOException {
      pool.shutdown();
      try {
        while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
          // transfers go on as long as each makes progress; the client's own timeouts end stalled ones
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for transfers");
      }
      return new Report(objects.get(), bytes.get(), new TreeMap<>(failures));
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
