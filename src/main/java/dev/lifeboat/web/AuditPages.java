package dev.lifeboat.web;

import dev.lifeboat.approval.ApprovalService;
import dev.lifeboat.audit.AuditAction;
import dev.lifeboat.audit.AuditEvent;
import dev.lifeboat.audit.AuditExport;
import dev.lifeboat.audit.AuditExportFormat;
import dev.lifeboat.audit.AuditFilter;
import dev.lifeboat.audit.AuditQuery;
import dev.lifeboat.audit.AuditVerifier;
import dev.lifeboat.audit.InvalidAuditQueryException;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunbookCatalog;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The auditors' pages: the trail with filters, exports, the chain's verification, a run's full story. */
@Controller
class AuditPages {

  private static final int PAGE_SIZE = 50;
  private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final AuditQuery query;
  private final AuditExport export;
  private final AuditVerifier verifier;
  private final RunService runs;
  private final RunbookCatalog runbooks;
  private final ApprovalService approvals;

  AuditPages(AuditQuery query, AuditExport export, AuditVerifier verifier, RunService runs, RunbookCatalog runbooks,
      ApprovalService approvals) {
    this.query = query;
    this.export = export;
    this.verifier = verifier;
    this.runs = runs;
    this.runbooks = runbooks;
    this.approvals = approvals;
  }

  /** The filter form's fields as typed; times are UTC, as the datetime-local inputs say. */
  record Filters(String actor, String runbook, String runId, String action, String from, String to) {

    AuditFilter toFilter() {
      return new AuditFilter(actor, runId, runbook, action, instant("From", from), instant("To", to));
    }

    String query() {
      return Paging.url("", "actor", actor, "runbook", runbook, "runId", runId, "action", action, "from", from, "to", to);
    }

    private static Instant instant(String name, String text) {
      if (text == null || text.isBlank()) {
        return null;
      }
      try {
        return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new InvalidAuditQueryException(name + " must be a date and time such as 2026-11-21T14:30 (UTC); got '"
            + text + "'");
      }
    }
  }

  @ModelAttribute("actions")
  List<String> actions() {
    return AuditAction.ids();
  }

  @GetMapping("/audit")
  String trail(@ModelAttribute("filters") Filters filters, @RequestParam(defaultValue = "0") int page,
      HttpServletResponse response, Model model) {
    model.addAttribute("filters", filters);
    model.addAttribute("runbooks", runbooks.all());
    model.addAttribute("exportQuery", filters.query());
    try {
      model.addAttribute("result", query.search(filters.toFilter(), Math.max(0, page), PAGE_SIZE));
      model.addAttribute("pageUrl", "/audit" + filters.query());
    } catch (InvalidAuditQueryException e) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      model.addAttribute("filterError", e.getMessage());
    }
    return "audit";
  }

  @GetMapping("/audit/verify")
  String verify(HttpServletResponse response, Model model) {
    model.addAttribute("verification", verifier.verify());
    return trail(new Filters(null, null, null, null, null, null), 0, response, model);
  }

  @GetMapping("/audit/export")
  ResponseEntity<StreamingResponseBody> export(@ModelAttribute Filters filters,
      @RequestParam(defaultValue = "csv") String format) {
    AuditFilter filter = filters.toFilter();
    AuditExportFormat fileFormat = AuditExportFormat.parse(format);
    String name = "lifeboat-audit-" + FILE_STAMP.format(Instant.now()) + "." + fileFormat.extension();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(fileFormat.contentType()))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
        .body(out -> export.write(filter, fileFormat, out));
  }

  /** Who started the run with which parameters, every step, who approved, how it ended, and every event. */
  @GetMapping("/audit/runs/{runId}")
  String story(@PathVariable String runId, Model model) {
    model.addAttribute("run", runs.get(runId));
    model.addAttribute("approvals", approvals.decisions(runId));
    List<AuditEvent> events = new ArrayList<>();
    query.forEach(new AuditFilter(null, runId, null, null, null, null), events::add);
    model.addAttribute("events", events);
    model.addAttribute("exportQuery", Paging.url("", "runId", runId));
    return "audit-run";
  }
}
