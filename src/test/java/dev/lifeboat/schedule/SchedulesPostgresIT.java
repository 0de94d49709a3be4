package dev.lifeboat.schedule;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.PostgresProcess;
import dev.lifeboat.testsupport.Servers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules with two Lifeboat instances on one real PostgreSQL, the first with the embedded engine,
 * the second in remote mode against it: a schedule every 10 seconds (six cron fields) snapshots a
 * real etcd, and every slot starts exactly one run, whichever instance ticks. Then both stop over
 * three slots; the first starts again and runs the latest slot once, the others recorded missed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulesPostgresIT {

  static final String NAME = "etcd-every-10s";

  Path temp;
  PostgresProcess postgres;
  EtcdProcess etcd;
  LifeboatApp first;
  LifeboatApp second;
  Map<String, String> shared;
  String scheduleId;

  @BeforeAll
  void start(@TempDir Path dir) {
    temp = dir;
    postgres = PostgresProcess.start();
    etcd = EtcdProcess.startSingle(temp);
    shared = Map.of(
        "spring.datasource.url", postgres.jdbcUrl(),
        "spring.datasource.username", postgres.username(),
        "spring.datasource.password", postgres.password(),
        // Several instances share one backup repository (any instance's worker may take any step).
        "lifeboat.storage.local.directory", temp.resolve("backups").toString(),
        "lifeboat.schedules.tick", "PT1S",
        "lifeboat.schedules.prune-cron", "-");
    first = LifeboatApp.start(temp.resolve("first"), shared);
    Map<String, String> remote = new HashMap<>(shared);
    remote.put("lifeboat.engine.mode", "remote");
    remote.put("lifeboat.engine.remote.grpc-address", "http://127.0.0.1:" + enginePort(first));
    second = LifeboatApp.start(temp.resolve("second"), remote);
  }

  @AfterAll
  void stop() {
    Servers.closeAll(second, first, etcd, postgres);
  }

  private static String enginePort(LifeboatApp app) {
    return app.context().getEnvironment().getProperty("lifeboat.engine.embedded.port");
  }

  @Test
  @Order(1)
  void everySlotStartsExactlyOneRunWithTwoInstances() {
    LifeboatApp.Response created = second.post(OPERATOR, "/api/schedules", Map.of(
        "name", NAME,
        "runbook", "etcd-snapshot",
        "parameters", Map.of("endpoints", etcd.clientEndpoints(), "notes", "scheduled"),
        "cron", "*/10 * * * * *",
        "timeZone", "Europe/Berlin"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    scheduleId = created.json().get("id").asText();
    assertThat(created.json().get("retention").get("keepDaily").asText()).isEqualTo("P7D");
    assertThat(created.json().get("nextRunAt").asText()).isNotEmpty();

    await(Duration.ofSeconds(50), () -> count("status = 'STARTED'") >= 4);
    awaitNoActiveRun();

    // One row per slot, each slot 10 s after the one before; one run per STARTED slot, none more.
    List<String> slots = lines(postgres.psql("select extract(epoch from slot_at)::bigint || ' ' || status || ' ' || "
        + "coalesce(run_id, '-') from schedule_slots where schedule_id = '" + scheduleId + "' order by slot_at"));
    assertThat(slots).allSatisfy(line -> assertThat(line).contains(" STARTED "));
    List<Long> epochs = slots.stream().map(l -> Long.parseLong(l.split(" ")[0])).toList();
    for (int i = 1; i < epochs.size(); i++) {
      assertThat(epochs.get(i) - epochs.get(i - 1)).as("slots " + slots).isEqualTo(10);
    }
    long snapshots = Long.parseLong(postgres.psql(
        "select count(*) from runs where runbook = 'etcd-snapshot' and initiator = 'schedule:" + NAME + "'"));
    assertThat(snapshots).as("runs of the schedule, slots " + slots).isEqualTo(slots.size());
    assertThat(postgres.psql("select count(distinct run_id) from schedule_slots where schedule_id = '" + scheduleId + "'"))
        .isEqualTo(Integer.toString(slots.size()));
    assertThat(postgres.psql("select count(*) from runs where initiator = 'schedule:" + NAME + "' and runbook = 'etcd-snapshot'"
        + " and status <> 'COMPLETED'")).isEqualTo("0");

    // Scheduled backups are marked; each is followed by backup-prune of its source, which keeps the day's newest.
    JsonNode schedule = first.get(AUDITOR, "/api/schedules/" + scheduleId).json();
    String lastRun = schedule.get("lastRunId").asText();
    JsonNode backups = first.get(AUDITOR, "/api/backups?kind=etcd-snapshot").json();
    JsonNode newest = backups.get(0);
    assertThat(newest.get("schedule").asText()).isEqualTo(NAME);
    assertThat(newest.get("createdBy").asText()).isEqualTo("schedule:" + NAME);
    await(Duration.ofSeconds(20), () -> Long.parseLong(postgres.psql(
        "select count(*) from runs where runbook = 'backup-prune' and initiator = 'schedule:" + NAME + "'"
            + " and status = 'COMPLETED'")) >= 3);
    JsonNode deletions = first.get(AUDITOR, "/api/audit?action=backup.deleted&actor=schedule:" + NAME).json().get("events");
    assertThat(deletions.size()).isPositive();
    assertThat(deletions.get(0).get("details").get("rule").asText()).contains("not the newest backup of its day");
    assertThat(lastRun).isNotEmpty();
    JsonNode preview = second.get(OPERATOR, "/api/retention/preview?kind=etcd-snapshot&source="
        + newest.get("source").asText()).json();
    assertThat(preview.get("keep").get(0).get("reasons").toString()).contains("daily", "newest of source");
    assertThat(preview.get("groups").get(0).get("schedule").asText()).isEqualTo(NAME);
  }

  @Test
  @Order(2)
  void afterBothStoodStillOverThreeSlotsTheLatestRunsOnceAndTheRestAreMissed() {
    Servers.closeAll(second, first);
    second = null;
    Instant stopped = Instant.now();
    LifeboatApp.sleep(33_000);
    first = LifeboatApp.start(temp.resolve("first"), shared);
    await(Duration.ofSeconds(20), () -> count("status = 'STARTED' and slot_at > to_timestamp(" + stopped.getEpochSecond()
        + ")") >= 1);
    List<String> after = lines(postgres.psql("select status from schedule_slots where schedule_id = '" + scheduleId
        + "' and slot_at > to_timestamp(" + stopped.getEpochSecond() + ") order by slot_at"));
    int started = after.indexOf("STARTED");
    assertThat(after.subList(0, started)).as(after.toString()).hasSizeGreaterThanOrEqualTo(2).containsOnly("MISSED");
    assertThat(after.subList(started, after.size())).as("after the catch-up, slots run as usual: " + after)
        .doesNotContain("MISSED");
    JsonNode missed = first.get(AUDITOR, "/api/audit?action=schedule.missed").json().get("events");
    assertThat(missed.size()).isGreaterThanOrEqualTo(2);
    assertThat(missed.get(0).get("details").get("schedule").asText()).isEqualTo(NAME);

    // Paused, no slot starts; the API shows it.
    JsonNode paused = first.post(OPERATOR, "/api/schedules/" + scheduleId + "/pause", Map.of()).json();
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.has("nextRunAt")).isFalse();
    awaitNoActiveRun();
    long before = count("1 = 1");
    LifeboatApp.sleep(11_000);
    assertThat(count("1 = 1")).isEqualTo(before);
    assertThat(first.delete(AUDITOR, "/api/schedules/" + scheduleId).status()).isEqualTo(403);
    assertThat(first.delete(ADMIN, "/api/schedules/" + scheduleId).status()).isEqualTo(204);
    assertThat(first.get(AUDITOR, "/api/schedules/" + scheduleId).status()).isEqualTo(404);
  }

  private long count(String condition) {
    return Long.parseLong(postgres.psql("select count(*) from schedule_slots where schedule_id = '" + scheduleId
        + "' and " + condition));
  }

  private void awaitNoActiveRun() {
    await(Duration.ofSeconds(30), () -> postgres.psql(
        "select count(*) from runs where status in ('RUNNING', 'WAITING_FOR_APPROVAL')").equals("0"));
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }

  private static void await(Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout);
      }
      LifeboatApp.sleep(250);
    }
  }
}
