package dev.lifeboat.metrics;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Shared;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /actuator/prometheus scraped and parsed after real runs: the metric names of the contract with
 * their labels, anonymous only from the allowed addresses.
 */
class MetricsIT {

  /** name{labels} value, as the Prometheus text format prints a sample. */
  static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);

  @Test
  void theContractsMetricsAreScrapedWithoutAUserFromLoopback(@TempDir Path temp) throws Exception {
    LifeboatApp lifeboat = Shared.lifeboat();
    try (EtcdProcess etcd = EtcdProcess.startSingle(temp)) {
      String snapshot = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", etcd.clientEndpoints()));
      String backupId = lifeboat.awaitRun(snapshot, Duration.ofMinutes(2), "COMPLETED").at("/outputs/backupId").asText();
      String verify = lifeboat.startRun(OPERATOR, "backup-verify", Map.of("backupId", backupId));
      lifeboat.awaitRun(verify, Duration.ofMinutes(2), "COMPLETED");
      String failing = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:9"));
      lifeboat.awaitRun(failing, Duration.ofMinutes(2), "FAILED");
      String source = lifeboat.get(AUDITOR, "/api/backups/" + backupId).json().get("source").asText();
      assertThat(lifeboat.post(OPERATOR, "/api/schedules", Map.of("name", "metrics-daily", "runbook", "backup-prune",
          "parameters", Map.of("dryRun", true), "cron", "@daily", "paused", true)).status()).isEqualTo(201);

      LifeboatApp.Response scrape = lifeboat.get(null, "/actuator/prometheus");
      assertThat(scrape.status()).as(scrape.body()).isEqualTo(200);
      Map<String, Double> samples = parse(scrape.body());
      String labels = "kind=\"etcd-snapshot\",source=\"" + source + "\"";
      double now = System.currentTimeMillis() / 1000.0;
      assertThat(samples.get("lifeboat_backup_last_success_timestamp_seconds{" + labels + "}"))
          .isBetween(now - 300, now + 5);
      assertThat(samples.get("lifeboat_backup_last_verified_timestamp_seconds{" + labels + "}"))
          .isBetween(now - 300, now + 5);
      assertThat(samples.get("lifeboat_schedule_expected_interval_seconds{schedule=\"metrics-daily\"}"))
          .isEqualTo(86400.0);
      assertThat(samples.get("lifeboat_schedule_missed_total{schedule=\"metrics-daily\"}")).isEqualTo(0.0);
      assertThat(samples.get("lifeboat_runs_total{runbook=\"etcd-snapshot\",status=\"COMPLETED\"}")).isGreaterThanOrEqualTo(1.0);
      assertThat(samples.get("lifeboat_runs_total{runbook=\"etcd-snapshot\",status=\"FAILED\"}")).isGreaterThanOrEqualTo(1.0);
      assertThat(samples.get("lifeboat_runs_total{runbook=\"backup-verify\",status=\"COMPLETED\"}")).isGreaterThanOrEqualTo(1.0);
      assertThat(scrape.body()).contains("# TYPE lifeboat_runs_total counter")
          .contains("# TYPE lifeboat_backup_last_success_timestamp_seconds gauge");
    }
  }

  @Test
  void otherAddressesNeedAUser(@TempDir Path temp) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("lifeboat.metrics.allowed-addresses", "127.0.0.5/32");
    try (LifeboatApp lifeboat = LifeboatApp.start(temp, properties)) {
      URI uri = URI.create(lifeboat.baseUrl() + "/actuator/prometheus");
      assertThat(status(uri, "127.0.0.5", null)).isEqualTo(200);
      assertThat(status(uri, "127.0.0.6", null)).isEqualTo(401);
      assertThat(status(uri, "127.0.0.6", AUDITOR)).isEqualTo(200);
    }
  }

  private static int status(URI uri, String from, String user) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (user != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString((user + ":" + LifeboatApp.password(user)).getBytes()));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
    }
    return samples;
  }
}
