package dev.lifeboat.objectstore;

import java.time.Instant;

/**
 * An object's key, size and ETag as the store reports them. A multipart ETag is not an MD5 of the
 * content (and servers differ): compare content by a digest Lifeboat computed, never by ETag.
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {}
