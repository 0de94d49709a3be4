package dev.lifeboat.web;

import dev.lifeboat.catalog.BackupCatalog;
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

  OverviewPage(RunService runs, RunStatistics statistics, BackupCatalog backups) {
    this.runs = runs;
    this.statistics = statistics;
    this.backups = backups;
  }

  @GetMapping("/")
  String overview(Model model) {
    model.addAttribute("counts", statistics.countByStatus());
    model.addAttribute("recentRuns", runs.list(null, null, 10, 0));
    model.addAttribute("latestBackups", backups.list(null, 5, 0));
    return "overview";
  }
}
