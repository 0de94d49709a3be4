package dev.lifeboat.catalog;

import dev.lifeboat.storage.BackupRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The backup repository in memory, for tests of what uses it. */
public final class InMemoryBackupRepository implements BackupRepository {

  final Map<String, ByteArrayOutputStream> staged = new ConcurrentHashMap<>();
  final Map<String, byte[]> archives = new ConcurrentHashMap<>();

  @Override
  public Staging stage(String runId) {
    String id = runId + "-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    staged.put(id, out);
    return new Staging(id, out);
  }

  @Override
  public InputStream openStaged(String stagingId) throws NoSuchFileException {
    return new ByteArrayInputStream(stagedBytes(stagingId));
  }

  @Override
  public long stagedSize(String stagingId) throws NoSuchFileException {
    return stagedBytes(stagingId).length;
  }

  @Override
  public synchronized String commit(String stagingId, String name) throws FileAlreadyExistsException, NoSuchFileException {
    if (archives.containsKey(name)) {
      throw new FileAlreadyExistsException(name);
    }
    archives.put(name, stagedBytes(stagingId));
    staged.remove(stagingId);
    return name;
  }

  @Override
  public void discard(String stagingId) {
    staged.remove(stagingId);
  }

  @Override
  public void discardStagedFor(String runId) {
    staged.keySet().removeIf(id -> id.startsWith(runId + "-"));
  }

  @Override
  public InputStream open(String location) throws NoSuchFileException {
    byte[] bytes = archives.get(location);
    if (bytes == null) {
      throw new NoSuchFileException(location);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public boolean exists(String location) {
    return archives.containsKey(location);
  }

  @Override
  public void delete(String location) {
    archives.remove(location);
  }

  @Override
  public java.util.List<Stored> list(String prefix) {
    return archives.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new Stored(e.getKey(), e.getValue().length, java.time.Instant.EPOCH)).toList();
  }

  @Override
  public String describe(String location) {
    return "memory:" + location;
  }

  Set<String> stagingIds() {
    return staged.keySet();
  }

  /** Changes one staged byte, as a failing disk or a meddler would. */
  void damage(String stagingId) throws NoSuchFileException {
    byte[] bytes = stagedBytes(stagingId);
    bytes[bytes.length / 2] ^= 0x20;
    ByteArrayOutputStream replaced = new ByteArrayOutputStream();
    replaced.writeBytes(bytes);
    staged.put(stagingId, replaced);
  }

  private byte[] stagedBytes(String stagingId) throws NoSuchFileException {
    ByteArrayOutputStream out = staged.get(stagingId);
    if (out == null) {
      throw new NoSuchFileException(stagingId);
    }
    return out.toByteArray();
  }
}
