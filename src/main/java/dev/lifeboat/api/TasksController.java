package dev.lifeboat.api;

import dev.lifeboat.approval.ApprovalService;
import dev.lifeboat.approval.ApprovalTask;
import dev.lifeboat.approval.Decision;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Approval tasks: open ones with their evidence, and the decision on one. */
@RestController
@RequestMapping("/api/tasks")
class TasksController {

  private final ApprovalService approvals;

  TasksController(ApprovalService approvals) {
    this.approvals = approvals;
  }

  record DecisionRequest(@NotNull(message = "say \"APPROVE\" or \"REJECT\" in 'decision'") Decision decision,
      String comment) {}

  @GetMapping
  List<ApprovalTask> open(Principal user) {
    return approvals.openTasks(user.getName());
  }

  @GetMapping("/{id}")
  ApprovalTask get(@PathVariable long id, Principal user) {
    return approvals.task(id, user.getName());
  }

  @PostMapping("/{id}/complete")
  ApprovalTask complete(@PathVariable long id, @Valid @RequestBody DecisionRequest request, Principal user) {
    return approvals.decide(id, user.getName(), request.decision(), request.comment());
  }
}
