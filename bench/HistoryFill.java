import dev.lifeboat.audit.AuditHash;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Seeds a fresh Lifeboat data directory with a year of history, fast, straight into its H2 file
 * while Lifeboat is stopped: Lifeboat's own migrations, then finished runs with their steps and an
 * audit trail whose every event is chained with Lifeboat's own hash function ({@code AuditHash}),
 * so {@code GET /api/audit/verify} finds it valid. Run with Lifeboat's classes and libraries on the
 * class path (bench/history.sh unpacks the jar for that):
 *
 * <pre>java -cp 'jar/BOOT-INF/classes:jar/BOOT-INF/lib/*' bench/HistoryFill.java --data-dir DIR
 *     [--runs 10000] [--events 200000] [--seed 1] [--bcrypt-of PASSWORD]</pre>
 *
 * Each run has the five steps of etcd-snapshot and up to 13 events (started, 5 x step
 * started/finished, backup created, finished; failed and canceled runs stop early); logins, failed
 * logins, downloads and approvals between the runs make up the rest. Prints a summary line and, with --bcrypt-of, a bcrypt hash of
 * that password (for a user whose every HTTP Basic request pays bcrypt, as in production).
 */
public class HistoryFill {

  static final String[][] STEPS = {
    {"Task_CheckCluster", "Check the cluster"}, {"Task_TakeSnapshot", "Take the snapshot"},
    {"Task_VerifyArchive", "Verify the archive"}, {"Task_StoreBackup", "Store the archive"},
    {"Task_CatalogueBackup", "Catalogue the backup"}};
  static final String[] OPERATORS = {"olivia", "oscar", "omar", "odette", "otis", "ophelia", "orson", "ola"};
  static final String[] APPROVERS = {"alice", "arthur", "amira"};
  static final String[] RUNBOOKS = {"etcd-snapshot", "etcd-snapshot", "etcd-snapshot", "etcd-snapshot",
    "etcd-snapshot", "etcd-snapshot", "etcd-snapshot", "etcd-snapshot", "etcd-restore", "juju-controller-backup"};
  static final int EVENTS_PER_RUN = 1 + 2 * STEPS.length + 2;

  public static void main(String[] args) throws Exception {
    String dataDir = null;
    int runs = 10_000;
    int events = 200_000;
    long seed = 1;
    String bcryptOf = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = args[i + 1];
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--bcrypt-of" -> bcryptOf = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (dataDir == null || events < runs * EVENTS_PER_RUN) {
      throw new IllegalArgumentException("--data-dir is required, and --events at least " + EVENTS_PER_RUN + " x --runs");
    }
    String url = "jdbc:h2:file:" + dataDir + "/db/lifeboat;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
    long started = System.nanoTime();
    Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
    try (Connection db = DriverManager.getConnection(url, "sa", "")) {
      db.setAutoCommit(false);
      new HistoryFill(db, new SplittableRandom(seed), runs, events).fill();
    }
    System.out.printf("%d runs, %d audit events in %.1f s%n", runs, events, (System.nanoTime() - started) / 1e9);
    if (bcryptOf != null) {
      System.out.println("bcrypt " + new BCryptPasswordEncoder().encode(bcryptOf));
    }
  }

  private final Connection db;
  private final SplittableRandom random;
  private final int runs;
  private final int events;
  private final PreparedStatement insertRun;
  private final PreparedStatement insertStep;
  private final PreparedStatement insertEvent;
  private long seq;
  private String prevHash = AuditHash.GENESIS;
  private Instant clock;

  HistoryFill(Connection db, SplittableRandom random, int runs, int events) throws Exception {
    this.db = db;
    this.random = random;
    this.runs = runs;
    this.events = events;
    insertRun = db.prepareStatement("""
        insert into runs (id, runbook, status, initiator, parameters, outputs, message, created_at, finished_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    insertStep = db.prepareStatement("""
        insert into run_steps (run_id, element_id, name, status, seq, attempts, started_at, finished_at, message)
        values (?, ?, ?, ?, ?, 1, ?, ?, ?)""");
    insertEvent = db.prepareStatement("""
        insert into audit_events (seq, occurred_at, actor, action, run_id, step, runbook, details, prev_hash, hash)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
  }

  void fill() throws Exception {
    Duration year = Duration.ofDays(365);
    Instant start = Instant.now().minus(year).truncatedTo(ChronoUnit.SECONDS);
    Duration perRun = year.dividedBy(runs);
    long extra = events - (long) runs * EVENTS_PER_RUN;
    for (int i = 0; i < runs; i++) {
      clock = start.plus(perRun.multipliedBy(i));
      run(i);
      // Runs that did not get far leave fewer than 13 events; other events fill up to an even share.
      long target = (long) (i + 1) * EVENTS_PER_RUN + (i + 1) * extra / runs;
      while (seq < target) {
        miscEvent();
      }
      if (i % 500 == 499) {
        flush();
      }
    }
    flush();
    try (PreparedStatement head = db.prepareStatement("update audit_chain_head set seq = ?, hash = ? where id = 1")) {
      head.setLong(1, seq);
      head.setString(2, prevHash);
      head.executeUpdate();
    }
    db.commit();
    try (Statement analyze = db.createStatement()) {
      analyze.execute("analyze");
    }
  }

  private void run(int i) throws Exception {
    String id = new UUID(random.nextLong(), random.nextLong()).toString();
    String runbook = RUNBOOKS[random.nextInt(RUNBOOKS.length)];
    String operator = OPERATORS[random.nextInt(OPERATORS.length)];
    String endpoints = "https://10.0." + random.nextInt(256) + "." + random.nextInt(256) + ":2379";
    int roll = random.nextInt(100);
    String status = roll < 90 ? "COMPLETED" : roll < 97 ? "FAILED" : "CANCELED";
    int failedStep = status.equals("FAILED") ? random.nextInt(STEPS.length) : STEPS.length;
    Instant created = clock;
    event(operator, "run.started", id, null, runbook,
        "{\"parameters\":{\"endpoints\":\"" + endpoints + "\",\"notes\":\"run " + i + "\"}}");
    String backupId = created.toString().substring(0, 19).replaceAll("[-:]", "").replace('T', '-') + ".c" + i;
    String sha = "%016x%016x%016x%016x".formatted(random.nextLong(), random.nextLong(), random.nextLong(),
        random.nextLong());
    for (int s = 0; s < STEPS.length && s <= failedStep && !(status.equals("CANCELED") && s == 2); s++) {
      Instant stepStart = clock;
      event("lifeboat", "step.started", id, STEPS[s][1], runbook, "{\"elementId\":\"" + STEPS[s][0] + "\"}");
      clock = clock.plusMillis(200 + random.nextInt(5000));
      boolean failed = s == failedStep;
      String message = failed ? "connection refused: " + endpoints : "done in " + Duration.between(stepStart, clock).toMillis() + " ms";
      event("lifeboat", failed ? "step.failed" : "step.finished", id, STEPS[s][1], runbook, "{\"elementId\":\""
          + STEPS[s][0] + "\",\"status\":\"" + (failed ? "FAILED" : "COMPLETED") + "\",\"message\":\"" + message + "\"}");
      step(id, s, failed ? "FAILED" : "COMPLETED", stepStart, clock, message);
      if (s == 4) {
        event(operator, "backup.created", id, null, runbook, "{\"backupId\":\"" + backupId
            + "\",\"kind\":\"etcd-snapshot\",\"sha256\":\"" + sha + "\",\"size\":" + (1_000_000 + random.nextInt(90_000_000))
            + ",\"via\":\"run\"}");
      }
    }
    String message = switch (status) {
      case "FAILED" -> STEPS[failedStep][1] + " failed: connection refused";
      case "CANCELED" -> "canceled by " + operator;
      default -> null;
    };
    if (status.equals("CANCELED")) {
      event(operator, "run.canceled", id, null, runbook, "{}");
    }
    event("lifeboat", "run.finished", id, null, runbook, "{\"status\":\"" + status + "\""
        + (message == null ? "" : ",\"message\":\"" + message + "\"") + "}");
    insertRun.setString(1, id);
    insertRun.setString(2, runbook);
    insertRun.setString(3, status);
    insertRun.setString(4, operator);
    insertRun.setString(5, "{\"endpoints\":\"" + endpoints + "\",\"notes\":\"run " + i + "\"}");
    insertRun.setString(6, status.equals("COMPLETED") ? "{\"backupId\":\"" + backupId + "\",\"sha256\":\"" + sha + "\"}" : "{}");
    insertRun.setString(7, message);
    insertRun.setObject(8, OffsetDateTime.ofInstant(created, ZoneOffset.UTC));
    insertRun.setObject(9, OffsetDateTime.ofInstant(clock, ZoneOffset.UTC));
    insertRun.addBatch();
  }

  private void miscEvent() throws Exception {
    int kind = random.nextInt(10);
    String operator = OPERATORS[random.nextInt(OPERATORS.length)];
    String address = "{\"remoteAddress\":\"10.1." + random.nextInt(256) + "." + random.nextInt(256) + "\"}";
    switch (kind) {
      case 0, 1, 2, 3 -> event(operator, "login.succeeded", null, null, null, address);
      case 4 -> event(operator, "login.failed", null, null, null, "{\"reason\":\"BadCredentialsException\"}");
      case 5, 6 -> event(operator, "backup.downloaded", null, null, null, "{\"backupId\":\"20250101-000000.c"
          + random.nextInt(runs) + "\",\"kind\":\"etcd-snapshot\"}");
      case 7 -> event("lifeboat", "approval.requested", null, "Approve the restore", "etcd-restore", "{\"taskId\":"
          + random.nextInt(1_000_000) + "}");
      default -> event(APPROVERS[random.nextInt(APPROVERS.length)], "approval.decided", null, "Approve the restore",
          "etcd-restore", "{\"decision\":\"APPROVE\",\"comment\":\"checked the evidence\"}");
    }
  }

  private void event(String actor, String action, String runId, String step, String runbook, String details)
      throws Exception {
    seq++;
    clock = clock.plusMillis(1 + random.nextInt(50));
    String hash = AuditHash.of(seq, clock, actor, action, runId, step, runbook, details, prevHash);
    insertEvent.setLong(1, seq);
    insertEvent.setObject(2, OffsetDateTime.ofInstant(clock, ZoneOffset.UTC));
    insertEvent.setString(3, actor);
    insertEvent.setString(4, action);
    insertEvent.setString(5, runId);
    insertEvent.setString(6, step);
    insertEvent.setString(7, runbook);
    insertEvent.setString(8, details);
    insertEvent.setString(9, prevHash);
    insertEvent.setString(10, hash);
    insertEvent.addBatch();
    prevHash = hash;
  }

  private void step(String runId, int s, String status, Instant started, Instant finished, String message)
      throws Exception {
    insertStep.setString(1, runId);
    insertStep.setString(2, STEPS[s][0]);
    insertStep.setString(3, STEPS[s][1]);
    insertStep.setString(4, status);
    insertStep.setInt(5, s);
    insertStep.setObject(6, OffsetDateTime.ofInstant(started, ZoneOffset.UTC));
    insertStep.setObject(7, OffsetDateTime.ofInstant(finished, ZoneOffset.UTC));
    insertStep.setString(8, message);
    insertStep.addBatch();
  }

  /** Runs first: steps reference them. */
  private void flush() throws Exception {
    insertRun.executeBatch();
    insertStep.executeBatch();
    insertEvent.executeBatch();
    db.commit();
  }
}
