package dev.lifeboat.retention;

import dev.lifeboat.catalog.BackupNotFoundException;
import dev.lifeboat.catalog.BackupService;
import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code backup-prune}: the preview (what will be kept and why, what removed and by
 * which rule), then the removal of exactly what the preview named and retention still drops.
 */
@Component
public class PruneWorkers {

  private final StepRunner steps;
  private final RetentionService retention;
  private final BackupService backups;

  PruneWorkers(StepRunner steps, RetentionService retention, BackupService backups) {
    this.steps = steps;
    this.retention = retention;
    this.backups = backups;
  }

  record PruneVariables(String runId, String initiator, String kind, String source, Boolean dryRun,
      List<Map<String, Object>> prunePlan) {}

  @JobWorker(type = "retention.preview", autoComplete = false)
  public void preview(ActivatedJob job) {
    steps.run(job, step -> {
      PruneVariables in = job.getVariablesAsType(PruneVariables.class);
      RetentionPreview preview = retention.preview(blank(in.kind()), blank(in.source()));
      List<Map<String, Object>> plan = new ArrayList<>();
      for (RetentionPreview.Remove remove : preview.remove()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("backupId", remove.backupId());
        entry.put("kind", remove.kind());
        entry.put("source", remove.source());
        entry.put("rule", remove.rule());
        plan.add(entry);
      }
      List<Map<String, Object>> kept = new ArrayList<>();
      for (RetentionPreview.Keep keep : preview.keep()) {
        kept.add(Map.of("backupId", keep.backupId(), "reasons", keep.reasons()));
      }
      step.message("keep " + preview.keep().size() + " backup(s) of " + preview.groups().size() + " source(s), remove "
          + preview.remove().size());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("prunePlan", plan);
      out.put("kept", kept);
      return out;
    });
  }

  @JobWorker(type = "retention.prune", autoComplete = false)
  public void prune(ActivatedJob job) {
    steps.run(job, step -> {
      PruneVariables in = job.getVariablesAsType(PruneVariables.class);
      List<Map<String, Object>> plan = in.prunePlan() == null ? List.of() : in.prunePlan();
      if (Boolean.TRUE.equals(in.dryRun())) {
        step.message("dry run: " + plan.size() + " backup(s) would be removed; nothing was");
        return Map.of("removed", List.of());
      }
      // Only what the preview named and retention still drops now (a newer proof or a restore may protect it).
      Set<String> stillDropped = retention.preview(blank(in.kind()), blank(in.source())).remove().stream()
          .map(RetentionPreview.Remove::backupId).collect(Collectors.toSet());
      List<String> removed = new ArrayList<>();
      for (Map<String, Object> entry : plan) {
        String backupId = (String) entry.get("backupId");
        if (!stillDropped.contains(backupId)) {
          continue;
        }
        try {
          backups.delete(backupId, in.initiator(), (String) entry.get("rule"), in.runId());
          removed.add(backupId);
        } catch (BackupNotFoundException gone) {
          // removed meanwhile (by hand, or this step's earlier attempt)
        }
      }
      step.message("removed " + removed.size() + " of " + plan.size() + " backup(s) the preview named");
      return Map.of("removed", removed);
    });
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
