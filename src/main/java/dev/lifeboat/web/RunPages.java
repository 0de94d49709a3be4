package dev.lifeboat.web;

import dev.lifeboat.approval.ApprovalService;
import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import dev.lifeboat.runbook.RunbookCatalog;
import dev.lifeboat.runbook.Step;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The runs list and each run's page; the live part of a run page is polled by htmx while it runs. */
@Controller
class RunPages {

  static final int PAGE_SIZE = 25;

  private final RunService runs;
  private final RunbookCatalog runbooks;
  private final RunDiagrams diagrams;
  private final ApprovalService approvals;

  RunPages(RunService runs, RunbookCatalog runbooks, RunDiagrams diagrams, ApprovalService approvals) {
    this.runs = runs;
    this.runbooks = runbooks;
    this.diagrams = diagrams;
    this.approvals = approvals;
  }

  @GetMapping("/runs")
  String list(@RequestParam(required = false) String runbook, @RequestParam(required = false) RunStatus status,
      @RequestParam(defaultValue = "0") int page, Model model) {
    int current = Math.max(0, page);
    String runbookFilter = runbook == null || runbook.isBlank() ? null : runbook;
    // One row more than shown tells whether there is a next page without counting the history.
    List<Run> found = runs.list(runbookFilter, status, PAGE_SIZE + 1, current * PAGE_SIZE);
    model.addAttribute("runs", found.subList(0, Math.min(PAGE_SIZE, found.size())));
    model.addAttribute("hasNext", found.size() > PAGE_SIZE);
    model.addAttribute("page", current);
    model.addAttribute("runbook", runbookFilter);
    model.addAttribute("status", status);
    model.addAttribute("pageUrl", Paging.url("/runs", "runbook", runbookFilter, "status", status));
    model.addAttribute("runbooks", runbooks.all());
    model.addAttribute("statuses", RunStatus.values());
    return "runs";
  }

  @GetMapping("/runs/{id}")
  String run(@PathVariable String id, Authentication user, Model model) {
    live(id, user, model);
    return "run";
  }

  /** The parts of the run page that change while it runs: status, diagram, steps, outputs, buttons. */
  @GetMapping("/runs/{id}/live")
  String live(@PathVariable String id, Authentication user, Model model) {
    Run run = runs.get(id);
    model.addAttribute("run", run);
    model.addAttribute("runbook", runbooks.find(run.runbook()).orElse(null));
    model.addAttribute("diagram", diagrams.svg(run));
    model.addAttribute("active", run.status().isActive());
    model.addAttribute("canCancel", run.status().isActive() && Viewer.operates(user));
    model.addAttribute("canResume", (run.status() == RunStatus.FAILED || run.status() == RunStatus.INTERRUPTED)
        && Viewer.operates(user));
    model.addAttribute("approvals", approvals.decisions(id));
    return "run :: live";
  }

  /** A step's command output, as kept; refreshed while the step may still print. */
  @GetMapping("/runs/{id}/output")
  String output(@PathVariable String id, @RequestParam String step, Model model) {
    outputLive(id, step, model);
    return "run-output";
  }

  @GetMapping("/runs/{id}/output/live")
  String outputLive(@PathVariable String id, @RequestParam String step, Model model) {
    String output = runs.stepOutput(id, step);
    Run run = runs.get(id);
    Step found = run.steps().stream().filter(s -> s.elementId().equals(step)).findFirst().orElse(null);
    model.addAttribute("run", run);
    model.addAttribute("step", found);
    model.addAttribute("elementId", step);
    model.addAttribute("stepName", found == null ? step : found.name());
    model.addAttribute("output", output);
    model.addAttribute("active", run.status().isActive() && (found == null || found.finishedAt() == null));
    return "run-output :: live";
  }

  @PostMapping("/runs/{id}/resume")
  String resume(@PathVariable String id, Authentication user, RedirectAttributes redirect) {
    runs.resume(id, user.getName());
    redirect.addFlashAttribute("notice", "Run resumed.");
    return "redirect:/runs/" + id;
  }

  @PostMapping("/runs/{id}/cancel")
  String cancel(@PathVariable String id, Authentication user, RedirectAttributes redirect) {
    runs.cancel(id, user.getName());
    redirect.addFlashAttribute("notice", "Run canceled.");
    return "redirect:/runs/" + id;
  }
}
