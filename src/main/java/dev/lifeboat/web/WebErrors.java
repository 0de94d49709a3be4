package dev.lifeboat.web;

import dev.lifeboat.approval.ApprovalForbiddenException;
import dev.lifeboat.approval.ApprovalTaskNotFoundException;
import dev.lifeboat.audit.InvalidAuditQueryException;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.runbook.EngineUnavailableException;
import dev.lifeboat.runbook.RunNotFoundException;
import dev.lifeboat.runbook.RunStateException;
import dev.lifeboat.runbook.StepNotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;

/**
 * Errors of the web pages as pages (the API's problem details are for scripts). Ordered before
 * the API's advice, which would otherwise answer these with JSON.
 */
@ControllerAdvice(basePackageClasses = WebErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrors {

  @ExceptionHandler({RunNotFoundException.class, StepNotFoundException.class, BackupNotFoundException.class,
      ApprovalTaskNotFoundException.class})
  String notFound(RuntimeException e, HttpServletResponse response, Model model) {
    return page(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), response, model);
  }

  @ExceptionHandler(RunStateException.class)
  String conflict(RunStateException e, HttpServletResponse response, Model model) {
    return page(HttpStatus.CONFLICT, "Not possible now", e.getMessage(), response, model);
  }

  /** A forged or stale decision on a task that is not the viewer's: the reason, as a 403 page. */
  @ExceptionHandler(ApprovalForbiddenException.class)
  String notYours(ApprovalForbiddenException e, HttpServletResponse response, Model model) {
    return page(HttpStatus.FORBIDDEN, "Not yours to decide", e.getMessage(), response, model);
  }

  @ExceptionHandler(InvalidAuditQueryException.class)
  String invalidQuery(InvalidAuditQueryException e, HttpServletResponse response, Model model) {
    return page(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), response, model);
  }

  @ExceptionHandler(EngineUnavailableException.class)
  String engine(EngineUnavailableException e, HttpServletResponse response, Model model) {
    return page(HttpStatus.SERVICE_UNAVAILABLE, "Workflow engine unavailable", e.getMessage(), response, model);
  }

  @ExceptionHandler(ResponseStatusException.class)
  String status(ResponseStatusException e, HttpServletResponse response, Model model) {
    HttpStatus status = HttpStatus.valueOf(e.getStatusCode().value());
    return page(status, status.getReasonPhrase(), e.getReason(), response, model);
  }

  private static String page(HttpStatus status, String title, String message, HttpServletResponse response, Model model) {
    response.setStatus(status.value());
    model.addAttribute("status", status.value());
    model.addAttribute("error", title);
    model.addAttribute("message", message);
    return "error";
  }
}
