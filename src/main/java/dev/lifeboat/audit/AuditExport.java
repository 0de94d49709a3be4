package dev.lifeboat.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Writes matching events, oldest first, as they are read: CSV (RFC 4180) or a JSON array of the
 * same objects {@code GET /api/audit} shows. Memory stays bounded however many events match.
 */
@Service
public class AuditExport {

  static final List<String> COLUMNS =
      List.of("seq", "time", "actor", "action", "runId", "step", "runbook", "details", "prevHash", "hash");

  private final AuditQuery query;
  private final ObjectMapper json;

  AuditExport(AuditQuery query, ObjectMapper json) {
    this.query = query;
    this.json = json;
  }

  public void write(AuditFilter filter, AuditExportFormat format, OutputStream out) throws IOException {
    try {
      switch (format) {
        case CSV -> writeCsv(filter, out);
        case JSON -> writeJson(filter, out);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void writeCsv(AuditFilter filter, OutputStream out) throws IOException {
    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    writer.write(csvLine(COLUMNS));
    query.forEach(filter, event -> {
      try {
        writer.write(csvLine(List.of(Long.toString(event.seq()), event.time().toString(), event.actor(),
            event.action(), nullToEmpty(event.runId()), nullToEmpty(event.step()), nullToEmpty(event.runbook()),
            json.writeValueAsString(event.details()), event.prevHash(), event.hash())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writer.flush();
  }

  private void writeJson(AuditFilter filter, OutputStream out) throws IOException {
    ObjectWriter writer = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
      generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      generator.writeStartArray();
      query.forEach(filter, event -> {
        try {
          writer.writeValue(generator, event);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      generator.writeEndArray();
    }
  }

  /** One CSV record ending in CRLF, each field quoted where RFC 4180 needs it. */
  static String csvLine(List<String> fields) {
    StringBuilder line = new StringBuilder();
    for (String field : fields) {
      if (!line.isEmpty()) {
        line.append(',');
      }
      line.append(csvField(field));
    }
    return line.append("\r\n").toString();
  }

  /**
   * A field quoted when it holds a comma, quote, CR or LF (quotes doubled). A text that starts like
   * a spreadsheet formula (= + - @ or a tab) gets a leading apostrophe, so that a crafted user name
   * in a failed login cannot run as a formula when the file is opened; the JSON export is verbatim.
   */
  static String csvField(String field) {
    String value = field;
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      value = "'" + value;
    }
    if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
