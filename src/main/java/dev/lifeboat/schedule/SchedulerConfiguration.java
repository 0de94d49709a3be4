package dev.lifeboat.schedule;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.lifeboat.runbook.RunService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * db-scheduler (one table, {@code scheduled_tasks}, in Lifeboat's database) runs Lifeboat's own
 * recurring work on exactly one instance at a time: the schedules' tick, the daily prune and the
 * freshness check. It starts once Lifeboat is ready (engine and web server up) and stops with it.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

  static final String TICK_TASK = "lifeboat-schedules";
  static final String PRUNE_TASK = "lifeboat-prune";
  static final String FRESHNESS_TASK = "lifeboat-freshness";
  /** The initiator of runs Lifeboat starts by itself (the daily prune). */
  static final String LIFEBOAT = "lifeboat";

  @Bean
  ScheduleTicker scheduleTicker(ScheduleRepository repository, RunService runs, ApplicationEventPublisher events,
      Clock clock) {
    return new ScheduleTicker(repository, (runbook, parameters, initiator) ->
        runs.start(runbook, parameters, initiator).id(), events, clock);
  }

  @Bean
  LifeboatScheduler lifeboatScheduler(DataSource dataSource, SchedulesProperties properties, ScheduleTicker ticker,
      Freshness freshness, RunService runs) {
    return new LifeboatScheduler(dataSource, properties, ticker, freshness, runs);
  }

  /** The db-scheduler instance of this Lifeboat; started when the application is ready. */
  static final class LifeboatScheduler implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LifeboatScheduler.class);

    private final SchedulesProperties properties;
    private final Scheduler scheduler;

    LifeboatScheduler(DataSource dataSource, SchedulesProperties properties, ScheduleTicker ticker, Freshness freshness,
        RunService runs) {
      this.properties = properties;
      List<RecurringTask<?>> tasks = new ArrayList<>();
      tasks.add(Tasks.recurring(TICK_TASK, FixedDelay.of(properties.tick()))
          .execute((instance, context) -> ticker.tick()));
      tasks.add(Tasks.recurring(FRESHNESS_TASK, FixedDelay.of(properties.freshnessCheck()))
          .execute((instance, context) -> freshness.check()));
      String prune = properties.pruneCron();
      if (prune != null && !prune.isBlank() && !prune.strip().equals("-")) {
        CronSlots.parse(prune, "UTC"); // refuses a wrong expression at start-up, with the reason
        String spring = switch (prune.strip()) {
          case "@hourly" -> "0 0 * * * *";
          case "@daily", "@midnight" -> "0 0 0 * * *";
          case "@weekly" -> "0 0 0 * * SUN";
          case "@monthly" -> "0 0 0 1 * *";
          case "@yearly", "@annually" -> "0 0 0 1 1 *";
          default -> prune.strip().split("\\s+").length == 6 ? prune.strip() : "0 " + prune.strip();
        };
        tasks.add(Tasks.recurring(PRUNE_TASK, Schedules.cron(spring, ZoneOffset.UTC))
            .execute((instance, context) -> {
              String runId = runs.start("backup-prune", Map.of(), LIFEBOAT).id();
              log.info("Daily prune: run {} of backup-prune started", runId);
            }));
      }
      Duration poll = properties.tick().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : properties.tick();
      this.scheduler = Scheduler.create(dataSource)
          .startTasks(tasks)
          .pollingInterval(poll)
          .heartbeatInterval(Duration.ofSeconds(10))
          .schedulerName(new SchedulerName.Fixed(hostname() + "-" + UUID.randomUUID().toString().substring(0, 8)))
          .threads(2)
          .shutdownMaxWait(Duration.ofSeconds(10))
          .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
      if (!properties.enabled()) {
        log.info("Schedules: lifeboat.schedules.enabled=false, this instance runs no scheduled work");
        return;
      }
      scheduler.start();
    }

    @Override
    public void destroy() {
      scheduler.stop();
    }

    private static String hostname() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "lifeboat";
      }
    }
  }
}
