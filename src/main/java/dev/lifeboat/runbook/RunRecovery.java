package dev.lifeboat.runbook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The embedded engine keeps nothing across restarts: a run that was active when Lifeboat stopped
 * has no engine instance any more. It becomes INTERRUPTED (never left RUNNING) at start-up, before
 * the web server accepts requests, so a run started right after start-up is never touched.
 */
@Component
@ConditionalOnProperty(name = "lifeboat.engine.mode", havingValue = "embedded", matchIfMissing = true)
class RunRecovery implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

  private final RunService runs;

  RunRecovery(RunService runs) {
    this.runs = runs;
  }

  @Override
  public void afterSingletonsInstantiated() {
    int count = runs.interruptAll("Lifeboat restarted while this run was active; the embedded engine forgot it");
    if (count > 0) {
      log.warn("{} run(s) were active when Lifeboat stopped and are now INTERRUPTED", count);
    }
  }
}
