package dev.lifeboat.audit;

import java.util.Arrays;
import java.util.Locale;

/** The file formats of an export, with what an HTTP response says about them. */
public enum AuditExportFormat {
  CSV("text/csv;charset=UTF-8", "csv"),
  JSON("application/json", "json");

  private final String contentType;
  private final String extension;

  AuditExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  public static AuditExportFormat parse(String text) {
    return Arrays.stream(values())
        .filter(f -> f.extension.equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new InvalidAuditQueryException("format must be csv or json; got '" + text + "'"));
  }
}
