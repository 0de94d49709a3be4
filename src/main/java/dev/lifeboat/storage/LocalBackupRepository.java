package dev.lifeboat.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Archives as files in one directory; staging in its hidden {@code .staging} sub-directory. */
@Component
@ConditionalOnProperty(name = "lifeboat.storage.type", havingValue = "local", matchIfMissing = true)
class LocalBackupRepository implements BackupRepository {

  private static final Logger log = LoggerFactory.getLogger(LocalBackupRepository.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final int BUFFER = 1 << 18;

  private final Path directory;
  private final Path staging;

  LocalBackupRepository(StorageProperties properties) {
    this.directory = properties.local().directory().toAbsolutePath().normalize();
    this.staging = directory.resolve(".staging");
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the backup directory " + directory
          + " (set lifeboat.storage.local.directory or lifeboat.data-dir to a writable place)", e);
    }
  }

  @Override
  public Staging stage(String runId) throws IOException {
    String id = safe(runId) + "-" + UUID.randomUUID();
    OutputStream out = Files.newOutputStream(stagingFile(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new Staging(id, new BufferedOutputStream(out, BUFFER));
  }

  @Override
  public InputStream openStaged(String stagingId) throws IOException {
    return Files.newInputStream(stagingFile(stagingId));
  }

  @Override
  public long stagedSize(String stagingId) throws IOException {
    return Files.size(stagingFile(stagingId));
  }

  @Override
  public String commit(String stagingId, String name) throws IOException {
    Path source = stagingFile(stagingId);
    Path target = file(name);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "an archive with this name exists already");
    }
    try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
      channel.force(true); // the bytes are on disk before the name appears
    }
    try {
      // A hard link appears atomically and, unlike a rename, never replaces an archive that
      // appeared since the check above.
      Files.createLink(target, source);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE); // no hard links on this file system
      return name;
    }
    Files.delete(source);
    return name;
  }

  @Override
  public void discard(String stagingId) {
    try {
      Files.deleteIfExists(stagingFile(stagingId));
    } catch (IOException e) {
      log.warn("Could not remove staged archive {}: {}", stagingId, e.getMessage());
    }
  }

  @Override
  public void discardStagedFor(String runId) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(staging, safe(runId) + "-*.partial")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      log.warn("Could not clean staging of run {}: {}", runId, e.getMessage());
    }
  }

  @Override
  public InputStream open(String location) throws IOException {
    try {
      return Files.newInputStream(file(location));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(location, null, "archive missing from the backup directory " + directory);
    }
  }

  @Override
  public boolean exists(String location) {
    return Files.isRegularFile(file(location));
  }

  @Override
  public void delete(String location) throws IOException {
    Files.deleteIfExists(file(location));
  }

  @Override
  public String describe(String location) {
    return file(location).toString();
  }

  @Override
  public List<Stored> list(String prefix) throws IOException {
    List<Stored> stored = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix) || !SAFE_NAME.matcher(name).matches()) {
          continue;
        }
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          if (attributes.isRegularFile()) {
            stored.add(new Stored(name, attributes.size(), attributes.lastModifiedTime().toInstant()));
          }
        } catch (NoSuchFileException gone) {
          // removed while listed
        }
      }
    }
    return stored;
  }

  private Path stagingFile(String stagingId) {
    return staging.resolve(safe(stagingId) + ".partial");
  }

  private Path file(String name) {
    return directory.resolve(safe(name));
  }

  /** Names come from ids we made, but are checked anyway: nothing may point outside the directory. */
  private static String safe(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid archive name: " + name);
    }
    return name;
  }
}
