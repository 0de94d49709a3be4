package dev.lifeboat.retention;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunStatus;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Retention per source (kind and source): the policy of the schedule that made the source's newest
 * scheduled backup, else the default (procedure 002's), applied by {@link RetentionPlanner}.
 */
@Service
public class RetentionService {

  private final BackupCatalog catalog;
  private final RunService runs;
  private final List<PolicyLookup> policies;

  RetentionService(BackupCatalog catalog, RunService runs, List<PolicyLookup> policies) {
    this.catalog = catalog;
    this.runs = runs;
    this.policies = policies;
  }

  /** The plan for every source, or only those of {@code kind} and/or {@code source} (null for any). */
  public RetentionPreview preview(String kind, String source) {
    Map<String, String> inUse = backupsInUse();
    List<RetentionPreview.Keep> keep = new ArrayList<>();
    List<RetentionPreview.Remove> remove = new ArrayList<>();
    List<RetentionPreview.Group> groups = new ArrayList<>();
    for (BackupCatalog.Source group : catalog.sources()) {
      if ((kind != null && !kind.equals(group.kind())) || (source != null && !source.equals(group.source()))) {
        continue;
      }
      List<Backup> backups = catalog.listSource(group.kind(), group.source());
      Optional<PolicyLookup.SchedulePolicy> scheduled = backups.stream()
          .filter(Backup::scheduled)
          .max(java.util.Comparator.comparing(Backup::takenAt))
          .flatMap(b -> lookup(b.schedule()));
      RetentionPolicy policy = scheduled.map(PolicyLookup.SchedulePolicy::policy).orElse(RetentionPolicy.DEFAULT);
      ZoneId zone = scheduled.map(PolicyLookup.SchedulePolicy::zone).orElse(ZoneOffset.UTC);
      List<RetentionPlanner.Candidate> candidates = backups.stream()
          .map(b -> new RetentionPlanner.Candidate(b.id(), b.takenAt(), b.scheduled(), b.proven(), b.proofFailed(),
              inUse.get(b.id())))
          .toList();
      RetentionPlanner.Decision decision = RetentionPlanner.plan(candidates, policy, zone);
      decision.keep().forEach(k -> keep.add(new RetentionPreview.Keep(k.backupId(), group.kind(), group.source(),
          k.takenAt(), k.reasons())));
      decision.remove().forEach(r -> remove.add(new RetentionPreview.Remove(r.backupId(), group.kind(), group.source(),
          r.takenAt(), r.rule())));
      groups.add(new RetentionPreview.Group(group.kind(), group.source(),
          scheduled.map(PolicyLookup.SchedulePolicy::schedule).orElse(null), policy, zone.getId(),
          decision.keep().size(), decision.remove().size()));
    }
    return new RetentionPreview(keep, remove, groups);
  }

  private Optional<PolicyLookup.SchedulePolicy> lookup(String schedule) {
    return policies.stream().map(p -> p.policyOf(schedule)).flatMap(Optional::stream).findFirst();
  }

  /** Backup ids named by a parameter of a run that is running or waiting (a restore about to use it), with the run. */
  private Map<String, String> backupsInUse() {
    Map<String, String> inUse = new HashMap<>();
    for (RunStatus status : List.of(RunStatus.RUNNING, RunStatus.WAITING_FOR_APPROVAL)) {
      for (Run run : runs.list(null, status, 1000, 0)) {
        run.parameters().values().forEach(value -> {
          if (value instanceof String text) {
            inUse.putIfAbsent(text, run.id());
          }
        });
      }
    }
    return inUse;
  }
}
