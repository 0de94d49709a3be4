package dev.lifeboat.api;

import dev.lifeboat.approval.ApprovalConflictException;
import dev.lifeboat.approval.ApprovalForbiddenException;
import dev.lifeboat.approval.ApprovalTaskNotFoundException;
import dev.lifeboat.approval.InvalidDecisionException;
import dev.lifeboat.audit.InvalidAuditQueryException;
import dev.lifeboat.catalog.BackupConflictException;
import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.InvalidBackupException;
import dev.lifeboat.runbook.EngineUnavailableException;
import dev.lifeboat.runbook.InvalidParametersException;
import dev.lifeboat.runbook.RunNotFoundException;
import dev.lifeboat.runbook.RunStateException;
import dev.lifeboat.runbook.StepNotFoundException;
import jakarta.validation.ConstraintViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Errors as RFC 9457 problem details whose {@code detail} tells the caller what to change. */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

  @ExceptionHandler(InvalidParametersException.class)
  ProblemDetail invalidParameters(InvalidParametersException e) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid parameters", e.getMessage());
    problem.setProperty("errors", e.problems());
    return problem;
  }

  @ExceptionHandler({RunNotFoundException.class, StepNotFoundException.class, BackupNotFoundException.class,
      ApprovalTaskNotFoundException.class})
  ProblemDetail notFound(RuntimeException e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler(InvalidBackupException.class)
  ProblemDetail invalidBackup(InvalidBackupException e) {
    return problem(HttpStatus.BAD_REQUEST, "Archive refused", e.getMessage());
  }

  @ExceptionHandler({RunStateException.class, BackupConflictException.class, ApprovalConflictException.class})
  ProblemDetail conflict(RuntimeException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
  }

  @ExceptionHandler(InvalidDecisionException.class)
  ProblemDetail invalidDecision(InvalidDecisionException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid decision", e.getMessage());
  }

  @ExceptionHandler(ApprovalForbiddenException.class)
  ProblemDetail forbidden(ApprovalForbiddenException e) {
    return problem(HttpStatus.FORBIDDEN, "Not yours to decide", e.getMessage());
  }

  @ExceptionHandler(InvalidAuditQueryException.class)
  ProblemDetail invalidAuditQuery(InvalidAuditQueryException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid audit query", e.getMessage());
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraint(ConstraintViolationException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
  }

  @ExceptionHandler(EngineUnavailableException.class)
  ProblemDetail engine(EngineUnavailableException e) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "Workflow engine unavailable", e.getMessage());
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return problem;
  }
}
