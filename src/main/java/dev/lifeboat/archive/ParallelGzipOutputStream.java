package dev.lifeboat.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip compression on several threads, written as pigz writes it: the input is cut into blocks,
 * each block is deflated on its own thread (primed with the last 32 KiB of the block before, so
 * the ratio stays that of gzip) and ended with a sync flush, and the blocks are written in order
 * as one gzip member with the CRC-32 and length of the whole input. {@code gzip -t}, {@code gunzip},
 * GNU tar and any inflater read it like the output of {@code gzip}.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are in flight (input and output), and
 * the writer waits for the oldest when that many are. Compressed blocks are written to the target
 * by the thread that calls {@link #write}, so whatever the target does (hashing, encrypting,
 * uploading) overlaps with the compression of the next blocks.
 */
public final class ParallelGzipOutputStream extends OutputStream {

  /**
   * pigz's default block size is 128 KiB. Each block is primed with the 32 KiB before it, which
   * costs deflate part of the work of compressing them again: at 1 MiB that is 3 % of the input
   * instead of 12.5 % at 256 KiB, for fewer hand-overs and the same ratio.
   */
  static final int BLOCK_SIZE = 1024 * 1024;
  private static final int DICTIONARY = 32 * 1024;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final OutputStream target;
  private final int level;
  private final int maxInFlight;
  private final ExecutorService pool;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  /** Deflaters (and their output buffers) between blocks: one per thread at most, reset, not rebuilt. */
  private final Queue<Compressor> idle = new ConcurrentLinkedQueue<>();
  /**
   * Input blocks already compressed, to fill again: a 1 MiB array is a humongous object to G1 in a
   * small heap, and one per block kept the heap full of them between collections.
   */
  private final Queue<byte[]> spareBlocks = new ConcurrentLinkedQueue<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK_SIZE];
  private int filled;
  private byte[] dictionary;
  private long length;
  private boolean closed;

  /** {@code threads} ≤ 0 means one per available processor. */
  public ParallelGzipOutputStream(OutputStream target, int level, int threads) throws IOException {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 1..9, not " + level);
    }
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    this.target = target;
    this.level = level;
    this.maxInFlight = 2 * n;
    String name = "gzip-" + POOLS.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(n, runnable -> {
      Thread thread = new Thread(runnable, name + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // gzip header: magic, deflate, no flags, no mtime, the level as gzip marks it (RFC 1952's XFL), OS unknown (255)
    target.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, extraFlags(level), (byte) 255});
  }

  /** XFL: 2 for the slowest, smallest level, 4 for the fastest, 0 otherwise, as gzip and pigz write it. */
  private static byte extraFlags(int level) {
    return (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is closed");
    }
    crc.update(b, off, len);
    length += len;
    while (len > 0) {
      int n = Math.min(len, block.length - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == block.length) {
        submit(false);
      }
    }
  }

  /** Hands the current block to a compressing thread; the last one ends the deflate stream. */
  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int size = filled;
    byte[] primer = dictionary;
    if (!last) {
      dictionary = Arrays.copyOfRange(input, size - DICTIONARY, size);
      byte[] spare = spareBlocks.poll();
      block = spare != null ? spare : new byte[BLOCK_SIZE];
      filled = 0;
    }
    while (inFlight.size() >= maxInFlight) {
      writeOldest();
    }
    inFlight.add(pool.submit(() -> compress(input, size, primer, last)));
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      target.write(inFlight.poll().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
  }

  private byte[] compress(byte[] input, int size, byte[] dictionary, boolean last) {
    Compressor compressor = idle.poll();
    if (compressor == null) {
      compressor = new Compressor(new Deflater(level, true));
    }
    try {
      return compressor.deflate(input, size, dictionary, last);
    } finally {
      spareBlocks.add(input);
      if (closed && pool.isShutdown()) {
        compressor.deflater.end();
      } else {
        idle.add(compressor);
      }
    }
  }

  /** A raw deflater and the buffer it writes into, used by one block at a time. */
  private static final class Compressor {
    final Deflater deflater;
    byte[] out = new byte[0];

    Compressor(Deflater deflater) {
      this.deflater = deflater;
    }

    byte[] deflate(byte[] input, int size, byte[] dictionary, boolean last) {
      deflater.reset();
      if (dictionary != null) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(input, 0, size);
      if (last) {
        deflater.finish();
      }
      int bound = size + size / 8 + 1024;
      if (out.length < bound) {
        out = new byte[bound];
      }
      int written = 0;
      while (true) {
        int n = last
            ? deflater.deflate(out, written, out.length - written)
            : deflater.deflate(out, written, out.length - written, Deflater.SYNC_FLUSH);
        written += n;
        boolean done = last ? deflater.finished() : written < out.length;
        if (done) {
          return Arrays.copyOf(out, written);
        }
        if (written == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
      }
    }
  }

  /** Compresses what is left, writes the gzip trailer and closes the target. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeOldest();
      }
      long crcValue = crc.getValue();
      target.write(new byte[] {
          (byte) crcValue, (byte) (crcValue >> 8), (byte) (crcValue >> 16), (byte) (crcValue >> 24),
          (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
      target.close();
    } finally {
      abandon();
    }
  }

  /** Stops the compressing threads without finishing the stream (the target is left to its owner). */
  public void abandon() {
    closed = true;
    inFlight.forEach(future -> future.cancel(true));
    inFlight.clear();
    pool.shutdownNow();
    // A block still compressing ends its own deflater (it sees the pool shut down); these are idle.
    for (Compressor compressor = idle.poll(); compressor != null; compressor = idle.poll()) {
      compressor.deflater.end();
    }
    spareBlocks.clear();
  }
}
