package dev.lifeboat.juju;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup metadata a juju client prints, read by label as reference/juju.md says it must be:
 * 1.x quotes strings ({@code backup ID:       "..."}), 2.9/3.x prints bare values with a trailing
 * space, {@code environment ID}/{@code model UUID}, {@code series}/{@code base} and the optional
 * {@code backup ID}/{@code controllers in HA} lines vary. Lines without a label are the bare id
 * (1.x) and {@code downloading to <file>}.
 */
record PrintedMetadata(Map<String, String> fields, String bareId) {

  private static final Pattern FIELD = Pattern.compile("([A-Za-z][A-Za-z ()]*?):\\s+(.*)");
  private static final Pattern GO_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?) ([+-]\\d{4})(?: \\S+)?");
  private static final DateTimeFormatter GO_LAYOUT = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
      .optionalEnd().toFormatter();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  static PrintedMetadata parse(String stdout) {
    Map<String, String> fields = new LinkedHashMap<>();
    String bareId = null;
    for (String raw : stdout.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("downloading to ")) {
        continue;
      }
      Matcher m = FIELD.matcher(line);
      if (m.matches()) {
        fields.putIfAbsent(m.group(1).strip(), unquote(m.group(2).strip()));
      } else if (line.matches("\\d{8}-\\d{6}\\.\\S+")) {
        bareId = line;
      }
    }
    return new PrintedMetadata(fields, bareId);
  }

  /** Go's %q of a plain string: drop the quotes, undo the escapes Go would write. */
  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }

  String get(String... labels) {
    for (String label : labels) {
      String value = fields.get(label);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  String checksum() {
    return get("checksum");
  }

  String checksumFormat() {
    return get("checksum format");
  }

  Long size() {
    String size = get("size (B)");
    return size == null ? null : Long.valueOf(size);
  }

  String modelUuid() {
    return get("model UUID", "model ID", "environment ID");
  }

  Instant started() {
    return time(get("started"));
  }

  Instant finished() {
    return time(get("finished"));
  }

  Instant stored() {
    return time(get("stored"));
  }

  /**
   * Juju's backup id: printed by 1.x (and 2.7/2.8); 2.9/3.x print none, so it is built as Juju
   * built it ({@code newStorageID}): Started in UTC, whole seconds, and the model uuid.
   */
  String backupId() {
    String printed = get("backup ID");
    if (printed != null) {
      return printed;
    }
    if (bareId != null) {
      return bareId;
    }
    Instant started = started();
    String uuid = modelUuid();
    return started == null || uuid == null ? null : STAMP.format(started) + "." + uuid;
  }

  /** What is missing for Lifeboat to trust the printed metadata, or an empty list. */
  List<String> missing() {
    return java.util.stream.Stream.of(
            checksum() == null ? "checksum" : null,
            size() == null ? "size (B)" : null,
            started() == null ? "started" : null,
            modelUuid() == null ? "model/environment ID" : null)
        .filter(java.util.Objects::nonNull).toList();
  }

  /** A Go {@code time.Time} as %v prints it; the zero time (0001-01-01) is "not set". */
  static Instant time(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = GO_TIME.matcher(value.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      Instant at = LocalDateTime.parse(m.group(1), GO_LAYOUT).toInstant(ZoneOffset.of(m.group(2)));
      return at.isBefore(Instant.parse("0002-01-01T00:00:00Z")) ? null : at;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Juju keeps times in whole seconds for ids. */
  static Instant wholeSeconds(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS);
  }
}
