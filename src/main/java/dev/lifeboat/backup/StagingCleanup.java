package dev.lifeboat.backup;

import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.storage.BackupRepository;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whatever a run left in the backup repository's staging goes when the run ends: it failed, was
 * canceled, or did not need it.
 */
@Component
class StagingCleanup {

  private final BackupRepository repository;

  StagingCleanup(BackupRepository repository) {
    this.repository = repository;
  }

  @EventListener
  void onRunFinished(RunFinished finished) {
    repository.discardStagedFor(finished.runId());
  }
}
