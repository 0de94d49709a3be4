package dev.lifeboat.web;

import dev.lifeboat.approval.ApprovalService;
import dev.lifeboat.approval.ApprovalTask;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.schedule.Freshness;
import dev.lifeboat.security.Role;
import org.springframework.security.core.Authentication;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatistics;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class OverviewPage {

  private final RunService runs;
  private final RunStatistics statistics;
  private final BackupCatalog backups;
  private final ApprovalService approvals;
  private final Freshness freshness;

  OverviewPage(RunService runs, RunStatistics statistics, BackupCatalog backups, ApprovalService approvals,
      Freshness freshness) {
    this.freshness = freshness;
    this.approvals = approvals;
    this.runs = runs;
    this.statistics = statistics;
    this.backups = backups;
  }

  @GetMapping("/")
  String overview(Authentication user, Model model) {
    if (Viewer.hasAny(user, Role.APPROVER, Role.ADMIN)) {
      model.addAttribute("openTasks", approvals.openTasks(user.getName()).stream().filter(ApprovalTask::decidable).count());
    }
    model.addAttribute("counts", statistics.countByStatus());
    model.addAttribute("recentRuns", runs.list(null, null, 10, 0));
    model.addAttribute("latestBackups", backups.list(null, 5, 0));
    model.addAttribute("sources", freshness.sources());
    return "overview";
  }
}
