package dev.lifeboat.web;

import dev.lifeboat.approval.ApprovalConflictException;
import dev.lifeboat.approval.ApprovalService;
import dev.lifeboat.approval.ApprovalTask;
import dev.lifeboat.approval.Decision;
import dev.lifeboat.approval.InvalidDecisionException;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The approvers' tasklist: every open approval with its evidence. The approve and reject buttons
 * appear only on tasks the viewer may decide; the service refuses the rest whatever is posted.
 */
@Controller
class TaskPages {

  private final ApprovalService approvals;

  TaskPages(ApprovalService approvals) {
    this.approvals = approvals;
  }

  @GetMapping("/tasks")
  String tasks(Principal user, Model model) {
    model.addAttribute("tasks", approvals.openTasks(user.getName()));
    return "tasks";
  }

  @PostMapping("/tasks/{id}/decide")
  String decide(@PathVariable long id, @RequestParam Decision decision,
      @RequestParam(defaultValue = "") String comment, Principal user, RedirectAttributes redirect) {
    try {
      ApprovalTask task = approvals.decide(id, user.getName(), decision, comment);
      redirect.addFlashAttribute("notice", (decision == Decision.APPROVE ? "Approved" : "Rejected") + ": "
          + task.name() + " of run " + task.runId() + ".");
    } catch (InvalidDecisionException | ApprovalConflictException e) {
      redirect.addFlashAttribute("taskError", e.getMessage());
      redirect.addFlashAttribute("taskErrorId", id);
      redirect.addFlashAttribute("comment", comment);
    }
    return "redirect:/tasks";
  }
}
