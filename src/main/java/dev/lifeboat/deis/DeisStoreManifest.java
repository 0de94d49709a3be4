package dev.lifeboat.deis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.archive.ArchiveReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json} of a Deis store backup set (format {@value #FORMAT}): every object of every
 * bucket with the gateway's size and ETag and the sha256 and md5 Lifeboat computed, the store
 * volume's tar and the database dump, each referenced by the sha256 of a body in the repository.
 */
record DeisStoreManifest(
    String format,
    String kind,
    String backupId,
    String source,
    String host,
    String gatewayEndpoint,
    List<Bucket> buckets,
    List<StoredObject> objects,
    Part storeVolume,
    Part database,
    Instant startedAt,
    Instant finishedAt,
    String notes,
    String createdBy,
    String runId) {

  static final String FORMAT = "lifeboat-deis-store-backup/1";
  static final String KIND = "deis-store-backup";
  static final String ENTRY = "manifest.json";
  static final String VOLUME_ENTRY = "store-volume.tar.gz";
  static final String DATABASE_ENTRY = "pg_dumpall.sql";

  record Bucket(String name, int objectCount, long objectBytes) {}

  /** One object; {@code etag} as the gateway listed it (a multipart ETag is no MD5: compare by sha256). */
  record StoredObject(String bucket, String key, long size, String etag, String sha256, String md5) {}

  /** A file of the set: what it is, its body, and what went wrong but was kept (GNU tar's warnings). */
  record Part(String entry, String origin, String sha256, long size, List<String> warnings) {}

  /**
   * The content of manifest.json in a set's (plaintext) archive, read as the archive streams;
   * closing it closes the archive. {@code backupId} names the set in the error when it has none.
   */
  static InputStream entryOf(InputStream archive, String backupId) throws IOException {
    ArchiveReader reader = new ArchiveReader(archive);
    try {
      for (ArchiveReader.Entry entry = reader.next(); entry != null; entry = reader.next()) {
        if (entry.name().equals(ENTRY)) {
          return new FilterInputStream(entry.content()) {
            @Override
            public void close() throws IOException {
              reader.close();
            }
          };
        }
      }
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
    reader.close();
    throw new IOException("backup " + backupId + " has no " + ENTRY);
  }

  /** manifest.json of a set's archive, whole (a set's restore reads it so). */
  static byte[] bytesOf(InputStream archive, String backupId) throws IOException {
    try (InputStream manifest = entryOf(archive, backupId)) {
      return manifest.readAllBytes();
    }
  }

  /** What to do with each object of a manifest read by {@link #walk}. */
  @FunctionalInterface
  interface ObjectVisitor {
    void visit(StoredObject object) throws IOException;
  }

  /**
   * Reads a manifest.json without holding its objects: each goes to {@code visitor} as it is
   * parsed (in the manifest's order, before the parts that follow the objects are known), and the
   * rest is returned with an empty object list. Memory holds one object whatever the set's size.
   */
  static DeisStoreManifest walk(InputStream manifestJson, ObjectMapper json, ObjectVisitor visitor)
      throws IOException {
    ObjectNode rest = json.createObjectNode();
    try (JsonParser parser = json.getFactory().createParser(manifestJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(ENTRY + " is not a JSON object");
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("objects") && value == JsonToken.START_ARRAY) {
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            visitor.visit(json.readValue(parser, StoredObject.class));
          }
          rest.putArray("objects");
        } else {
          rest.set(name, json.readTree(parser));
        }
      }
    }
    return json.treeToValue(rest, DeisStoreManifest.class);
  }

  int objectCount() {
    return objects.size();
  }

  long objectBytes() {
    return objects.stream().mapToLong(StoredObject::size).sum();
  }
}
