package dev.lifeboat.deis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks the objects of one bucket in a catalogued set's manifest, one at a time, alongside a new
 * listing of the same bucket: both come in the gateway's order (keys by their UTF-8 bytes, as S3
 * lists them), so finding each listed key's earlier record is a merge, and memory holds one record
 * whatever the number of objects. A set whose order differs (a gateway that sorts otherwise) only
 * costs downloads: a key the cursor has passed is simply not found.
 */
final class DeisStoreObjectCursor implements AutoCloseable {

  private final JsonParser parser;
  private final ObjectMapper json;
  private final String bucket;
  private DeisStoreManifest.StoredObject current;
  private byte[] currentKey;

  private DeisStoreObjectCursor(JsonParser parser, ObjectMapper json, String bucket) throws IOException {
    this.parser = parser;
    this.json = json;
    this.bucket = bucket;
    advance();
  }

  /** A cursor over nothing: the first backup of a cluster. */
  static DeisStoreObjectCursor empty() {
    try {
      return new DeisStoreObjectCursor(null, null, null);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** The objects of {@code bucket} in the set {@code backupId} whose (plaintext) archive is {@code archive}. */
  static DeisStoreObjectCursor open(InputStream archive, String backupId, String bucket, ObjectMapper json)
      throws IOException {
    // The parser closes the manifest's stream, which closes the archive.
    JsonParser parser = json.getFactory().createParser(DeisStoreManifest.entryOf(archive, backupId));
    try {
      if (!toObjects(parser)) {
        throw new IOException(DeisStoreManifest.ENTRY + " of backup " + backupId + " has no objects array");
      }
      return new DeisStoreObjectCursor(parser, json, bucket);
    } catch (IOException | RuntimeException e) {
      parser.close();
      throw e;
    }
  }

  /**
   * The earlier record of {@code key}, or null when the set has none (or the cursor passed it).
   * Keys must be asked for in the gateway's order.
   */
  DeisStoreManifest.StoredObject find(String key) throws IOException {
    byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
    while (current != null && Arrays.compareUnsigned(currentKey, wanted) < 0) {
      advance();
    }
    if (current != null && Arrays.equals(currentKey, wanted)) {
      DeisStoreManifest.StoredObject found = current;
      advance();
      return found;
    }
    return null;
  }

  private void advance() throws IOException {
    current = null;
    currentKey = null;
    if (parser == null) {
      return;
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      DeisStoreManifest.StoredObject object = json.readValue(parser, DeisStoreManifest.StoredObject.class);
      if (bucket.equals(object.bucket())) {
        current = object;
        currentKey = object.key().getBytes(StandardCharsets.UTF_8);
        return;
      }
    }
  }

  /** Moves the parser onto the manifest's {@code "objects": [} and returns whether it found it. */
  private static boolean toObjects(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("objects")) {
        return value == JsonToken.START_ARRAY;
      }
      parser.skipChildren();
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    if (parser != null) {
      parser.close();
    }
  }
}
