package dev.lifeboat.api;

import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/runs")
class RunsController {

  private final RunService runs;

  RunsController(RunService runs) {
    this.runs = runs;
  }

  record StartRun(@NotBlank(message = "name the runbook to run, e.g. \"etcd-snapshot\"") String runbook,
      Map<String, Object> parameters) {}

  @PostMapping
  ResponseEntity<Run> start(@Valid @RequestBody StartRun request, Principal user) {
    Run run = runs.start(request.runbook(), request.parameters(), user.getName());
    return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(run);
  }

  @GetMapping
  List<Run> list(
      @RequestParam(required = false) String runbook,
      @RequestParam(required = false) RunStatus status,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
      @RequestParam(defaultValue = "0") @Min(0) int offset) {
    return runs.list(runbook, status, limit, offset);
  }

  @GetMapping("/{id}")
  Run get(@PathVariable String id) {
    return runs.get(id);
  }

  @PostMapping("/{id}/resume")
  Run resume(@PathVariable String id, Principal user) {
    return runs.resume(id, user.getName());
  }

  @PostMapping("/{id}/cancel")
  Run cancel(@PathVariable String id, Principal user) {
    return runs.cancel(id, user.getName());
  }
}
