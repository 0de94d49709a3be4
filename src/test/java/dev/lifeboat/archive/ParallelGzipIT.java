package dev.lifeboat.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives compressed on several threads, read by GNU gzip and GNU tar (Debian's). */
class ParallelGzipIT {

  @TempDir
  Path temp;

  /** Partly compressible, like etcd's Kubernetes objects: text runs with random bytes between. */
  private static byte[] data(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    byte[] text = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-7d4b9c\",\"namespace\":\"default\"}}"
        .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < size; ) {
      if (random.nextBoolean()) {
        int n = Math.min(size - i, text.length);
        System.arraycopy(text, 0, data, i, n);
        i += n;
      } else {
        int n = Math.min(size - i, 1 + random.nextInt(40));
        for (int k = 0; k < n; k++) {
          data[i + k] = (byte) random.nextInt();
        }
        i += n;
      }
    }
    return data;
  }

  private static byte[] compress(byte[] data, int level, int threads) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, level, threads)) {
      Random sizes = new Random(1);
      for (int off = 0; off < data.length; ) {
        int n = Math.min(data.length - off, 1 + sizes.nextInt(100_000));
        gzip.write(data, off, n);
        off += n;
      }
    }
    return out.toByteArray();
  }

  @Test
  void gzipTestsAndDecompressesWhatSeveralThreadsCompressedWithTheRatioOfOneThread() throws Exception {
    byte[] data = data(5 * ParallelGzipOutputStream.BLOCK_SIZE + 12_345, 42);
    for (int threads : List.of(1, 3)) {
      byte[] compressed = compress(data, 6, threads);
      Path file = Files.write(temp.resolve("data-" + threads + ".gz"), compressed);
      assertThat(run("gzip", "-t", file.toString()).exitCode).isZero();
      Process gunzip = new ProcessBuilder("gzip", "-dc", file.toString()).start();
      assertThat(gunzip.getInputStream().readAllBytes()).isEqualTo(data);
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      ByteArrayOutputStream single = new ByteArrayOutputStream();
      try (OutputStream gzip = new GZIPOutputStream(single)) {
        gzip.write(data);
      }
      assertThat((double) compressed.length).isLessThan(single.size() * 1.01);
    }
    Path empty = Files.write(temp.resolve("empty.gz"), compress(new byte[0], 6, 2));
    assertThat(run("gzip", "-t", empty.toString()).exitCode).isZero();
  }

  @Test
  void theHeaderNamesTheLevelAsGnuGzipDoes() throws Exception {
    byte[] data = data(100_000, 5);
    Path plain = Files.write(temp.resolve("plain"), data);
    for (int level : List.of(1, 6, 9)) {
      Path byGzip = temp.resolve("gzip-" + level + ".gz");
      assertThat(run("sh", "-c", "gzip -" + level + " -c \"$0\" > \"$1\"", plain.toString(), byGzip.toString()).exitCode)
          .isZero();
      // RFC 1952's XFL, the ninth byte: what 'file' and 'gzip -lv' report as "max compression" or "max speed".
      assertThat(compress(data, level, 2)[8]).as("XFL at level " + level).isEqualTo(Files.readAllBytes(byGzip)[8]);
    }
  }

  @Test
  void gnuTarReadsAnArchiveWrittenInParallel() throws Exception {
    byte[] snapshot = data(3 * ParallelGzipOutputStream.BLOCK_SIZE + 777, 7);
    Path archive = temp.resolve("backup.tar.gz");
    try (ArchiveWriter writer = new ArchiveWriter(Files.newOutputStream(archive), 6, 2)) {
      try (OutputStream entry = writer.entry("snapshot.db", snapshot.length)) {
        entry.write(snapshot);
      }
      writer.finishWith("metadata.json", "{\"format\":\"test\"}".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(run("gzip", "-t", archive.toString()).exitCode).isZero();
    Path out = Files.createDirectories(temp.resolve("out"));
    Result tar = run("tar", "-xzf", archive.toString(), "-C", out.toString());
    assertThat(tar.exitCode).as(tar.output).isZero();
    assertThat(Files.readAllBytes(out.resolve("snapshot.db"))).isEqualTo(snapshot);
    assertThat(Files.readString(out.resolve("metadata.json"))).isEqualTo("{\"format\":\"test\"}");
    try (ArchiveReader reader = new ArchiveReader(Files.newInputStream(archive))) {
      ArchiveReader.Entry entry = reader.next();
      assertThat(entry.name()).isEqualTo("snapshot.db");
      assertThat(entry.content().readAllBytes()).isEqualTo(snapshot);
    }
  }

  @Test
  void theHeapStaysFlatWhateverTheSize() throws Exception {
    byte[] chunk = new byte[1 << 20];
    new Random(3).nextBytes(chunk); // incompressible: a buffered archive would be as large as the input
    long[] used = new long[2];
    try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 1, 2)) {
      for (int mib = 1; mib <= 192; mib++) {
        chunk[0] = (byte) mib;
        gzip.write(chunk);
        if (mib == 32) {
          used[0] = usedAfterGc();
        }
      }
      used[1] = usedAfterGc();
    }
    assertThat(used[1] - used[0]).as("heap growth from 32 MiB to 192 MiB written").isLessThan(16L << 20);
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
