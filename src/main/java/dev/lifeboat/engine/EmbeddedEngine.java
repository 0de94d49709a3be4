package dev.lifeboat.engine;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The in-process Zeebe engine (zeebe-process-test-engine): the real stream processor kept in
 * memory. It keeps nothing across restarts; Lifeboat's database is the record of runs.
 */
public final class EmbeddedEngine implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

  private final ZeebeTestEngine engine;

  EmbeddedEngine(int port) {
    this.engine = EngineFactory.create(port);
    engine.start();
    // The engine reports 0.0.0.0, but LoopbackGrpcServerProvider bound its gateway to loopback.
    log.info("Embedded Zeebe engine listening on 127.0.0.1:{} (in memory: runs are forgotten on restart)", port);
  }

  @Override
  public void destroy() {
    engine.stop();
  }
}
