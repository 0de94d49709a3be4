package dev.lifeboat.api;

import dev.lifeboat.audit.AuditExport;
import dev.lifeboat.audit.AuditExportFormat;
import dev.lifeboat.audit.AuditFilter;
import dev.lifeboat.audit.AuditPage;
import dev.lifeboat.audit.AuditQuery;
import dev.lifeboat.audit.AuditVerification;
import dev.lifeboat.audit.AuditVerifier;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The audit trail: search it, export it, verify its hash chain. */
@RestController
@RequestMapping("/api/audit")
class AuditController {

  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final AuditQuery query;
  private final AuditExport export;
  private final AuditVerifier verifier;
  private final Clock clock;

  AuditController(AuditQuery query, AuditExport export, AuditVerifier verifier, Clock clock) {
    this.query = query;
    this.export = export;
    this.verifier = verifier;
    this.clock = clock;
  }

  /** The filter query parameters, all optional; {@code from} and {@code to} are ISO-8601 instants. */
  record FilterParams(String actor, String runId, String runbook, String action, String from, String to) {

    AuditFilter toFilter() {
      return AuditFilter.of(actor, runId, runbook, action, from, to);
    }
  }

  @GetMapping
  AuditPage search(FilterParams filter,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return query.search(filter.toFilter(), page, size);
  }

  /** The matching events as a file, oldest first, streamed as they are read. */
  @GetMapping("/export")
  ResponseEntity<StreamingResponseBody> export(FilterParams params, @RequestParam(defaultValue = "csv") String format) {
    AuditFilter filter = params.toFilter();
    AuditExportFormat fileFormat = AuditExportFormat.parse(format);
    String name = "lifeboat-audit-" + FILE_STAMP.format(clock.instant()) + "." + fileFormat.extension();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(fileFormat.contentType()))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
        .body(out -> export.write(filter, fileFormat, out));
  }

  @GetMapping("/verify")
  AuditVerification verify() {
    return verifier.verify();
  }
}
