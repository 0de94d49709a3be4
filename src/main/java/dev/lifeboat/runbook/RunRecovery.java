package dev.lifeboat.runbook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The embedded engine keeps nothing across restarts: a run that was active when Lifeboat stopped
 * has no engine instance any more. It becomes INTERRUPTED (never left RUNNING) at start-up.
 */
@Component
@ConditionalOnProperty(name = "lifeboat.engine.mode", havingValue = "embedded", matchIfMissing = true)
class RunRecovery {

  private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

  private final RunService runs;

  RunRecovery(RunService runs) {
    this.runs = runs;
  }

  @EventListener(ApplicationStartedEvent.class)
  void interruptRunsForgottenByTheEngine() {
    int count = runs.interruptAll("Lifeboat restarted while this run was active; the embedded engine forgot it");
    if (count > 0) {
      log.warn("{} run(s) were active when Lifeboat stopped and are now INTERRUPTED", count);
    }
  }
}
