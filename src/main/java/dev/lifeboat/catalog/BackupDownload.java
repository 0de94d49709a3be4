package dev.lifeboat.catalog;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A download of a backup: its catalogued archive as stored ({@code length} and {@code sha256} known,
 * gzip), or a tar assembled while it is sent ({@code length} when its assembler can tell it in
 * advance; no {@code sha256}).
 */
public record BackupDownload(String fileName, String contentType, Long length, String sha256, Body body) {

  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }
}
