package dev.lifeboat.api;

import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
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

  /**
   * A step's command output as plain text (capped: the first 64 KiB and the last 192 KiB). The step
   * is a query parameter, not a path segment, because element ids may one day hold '/'.
   */
  @GetMapping("/{id}/output")
  ResponseEntity<String> output(@PathVariable String id, @RequestParam String step) {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
        .body(runs.stepOutput(id, step));
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
