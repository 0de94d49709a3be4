package dev.lifeboat.deis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.archive.ArchivePaths;
import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupAssembler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.springframework.stereotype.Component;

/**
 * The download of a Deis store backup set: a plain tar assembled from its bodies while it is sent,
 * {@code buckets/<bucket>/<key>} for every object, {@code store-volume.tar.gz}, {@code pg_dumpall.sql}
 * and {@code manifest.json}. Each body is checked against its sha256 on the way; a mismatch or a
 * missing body ends the transfer with an error rather than sending a wrong file.
 */
@Component
class DeisStoreAssembler implements BackupAssembler {

  private final DeisStoreBodies bodies;
  private final ObjectMapper json;

  DeisStoreAssembler(DeisStoreBodies bodies, ObjectMapper json) {
    this.bodies = bodies;
    this.json = json;
  }

  @Override
  public String kind() {
    return DeisStoreManifest.KIND;
  }

  /**
   * Objects first, as the manifest lists them, then the volume's tar, the dump and manifest.json
   * itself: the manifest is kept in a temporary file meanwhile (its objects are never all in memory).
   */
  @Override
  public void write(Backup backup, InputStream archive, OutputStream out) throws IOException {
    Path manifestFile = Files.createTempFile("lifeboat-deis-download-", ".json");
    try {
      try (InputStream manifest = DeisStoreManifest.entryOf(archive, backup.id())) {
        Files.copy(manifest, manifestFile, StandardCopyOption.REPLACE_EXISTING);
      }
      TarArchiveOutputStream tar = tar(out, BLOCK);
      DeisStoreManifest manifest;
      try (InputStream in = Files.newInputStream(manifestFile)) {
        manifest = DeisStoreManifest.walk(in, json,
            object -> body(tar, "buckets/" + object.bucket() + "/" + object.key(), object.sha256(), object.size()));
      }
      body(tar, DeisStoreManifest.VOLUME_ENTRY, manifest.storeVolume().sha256(), manifest.storeVolume().size());
      body(tar, DeisStoreManifest.DATABASE_ENTRY, manifest.database().sha256(), manifest.database().size());
      tar.putArchiveEntry(entry(DeisStoreManifest.ENTRY, Files.size(manifestFile)));
      Files.copy(manifestFile, tar);
      tar.closeArchiveEntry();
      tar.finish();
      tar.flush();
    } finally {
      Files.deleteIfExists(manifestFile);
    }
  }

  /**
   * The exact length of what {@link #write} sends, from the manifest alone: each entry's headers
   * (a PAX header first for a long name) and its content padded to 512 bytes, the two end records,
   * all padded to the tar's block.
   */
  @Override
  public Long length(Backup backup, InputStream archive) throws IOException {
    long[] length = {0};
    DeisStoreManifest manifest;
    long manifestLength;
    try (BoundedInputStream manifestJson = BoundedInputStream.builder()
        .setInputStream(DeisStoreManifest.entryOf(archive, backup.id())).get()) {
      manifest = DeisStoreManifest.walk(manifestJson, json,
          object -> length[0] += entryLength("buckets/" + object.bucket() + "/" + object.key(), object.size()));
      manifestJson.transferTo(OutputStream.nullOutputStream()); // whitespace after the object, if any
      manifestLength = manifestJson.getCount();
    }
    length[0] += entryLength(DeisStoreManifest.VOLUME_ENTRY, manifest.storeVolume().size());
    length[0] += entryLength(DeisStoreManifest.DATABASE_ENTRY, manifest.database().size());
    length[0] += entryLength(DeisStoreManifest.ENTRY, manifestLength);
    length[0] += 2 * RECORD;
    return (length[0] + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static final int RECORD = 512;
  private static final int BLOCK = 1 << 16;

  private static long entryLength(String name, long size) throws IOException {
    // The headers as TarArchiveOutputStream writes them, counted (a block of one record: nothing is held back).
    long[] headers = new long[1];
    OutputStream counting = new OutputStream() {
      @Override
      public void write(int b) {
        headers[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        headers[0] += len;
      }
    };
    TarArchiveOutputStream tar = tar(counting, RECORD);
    tar.putArchiveEntry(entry(name, size));
    tar.flush();
    // not closed: its entry has no content, which is all that was wanted of it
    return headers[0] + (size + RECORD - 1) / RECORD * RECORD;
  }

  private static TarArchiveOutputStream tar(OutputStream out, int blockSize) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, blockSize);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private void body(TarArchiveOutputStream tar, String name, String sha256, long size) throws IOException {
    tar.putArchiveEntry(entry(name, size));
    MessageDigest digest = Sha256.newDigest();
    long copied;
    try (InputStream in = new DigestInputStream(bodies.open(sha256), digest)) {
      copied = in.transferTo(tar);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (copied != size || !actual.equals(sha256)) {
      throw new IOException(name + ": the stored body " + bodies.describe(sha256) + " has " + copied + " bytes, sha256 "
          + actual + "; the manifest says " + size + " bytes, sha256 " + sha256);
    }
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(ArchivePaths.checkedEntryName(name));
    entry.setSize(size);
    entry.setMode(0100640);
    return entry;
  }
}
