package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd as seen from its own host: the tools installed there and the member answering at a client
 * URL, asked through that host's etcdctl (the member may listen on the host's loopback only).
 */
final class EtcdHost {

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final Duration POLL = Duration.ofMillis(500);

  private final HostSession host;
  private final String clientUrl;
  private final ObjectMapper json;

  EtcdHost(HostSession host, String clientUrl, ObjectMapper json) {
    this.host = host;
    this.clientUrl = clientUrl;
    this.json = json;
  }

  /** What the member reports: its members, and the revision and key count of its keyspace. */
  record Status(List<String> members, long revision, long keyCount, String clusterId, String version, long dbSize) {

    String summary() {
      return members.size() + " member" + (members.size() == 1 ? "" : "s") + " " + members + ", " + keyCount
          + " keys at revision " + revision;
    }
  }

  /** The version a tool prints, e.g. "3.4.23", or null when the tool is not installed. */
  String toolVersion(String tool) {
    String versionArgument = tool.equals("etcd") ? "--version" : "version";
    CommandResult result = host.run(
        Command.of("sh", "-c", "command -v \"$1\" >/dev/null && exec \"$@\"", "sh", tool, versionArgument));
    if (!result.succeeded()) {
      return null;
    }
    Matcher matcher = VERSION.matcher(result.stdout());
    return matcher.find() ? matcher.group() : "unknown";
  }

  static boolean atLeast(String version, int major, int minor) {
    Matcher matcher = VERSION.matcher(version == null ? "" : version);
    if (!matcher.find()) {
      return false;
    }
    int maj = Integer.parseInt(matcher.group(1));
    int min = Integer.parseInt(matcher.group(2));
    return maj > major || (maj == major && min >= minor);
  }

  Status status() {
    JsonNode members = askJson("member", "list");
    List<String> names = new ArrayList<>();
    members.path("members").forEach(member -> names.add(member.path("name").asText("(unstarted)")));
    // A range with limit 1 still reports how many keys the whole range holds.
    JsonNode range = askJson("get", "", "--prefix", "--keys-only", "--limit", "1");
    JsonNode endpoint = askJson("endpoint", "status").path(0).path("Status");
    String clusterId = endpoint.path("header").path("cluster_id").isMissingNode() ? ""
        : new BigInteger(endpoint.path("header").path("cluster_id").asText("0")).toString(16);
    return new Status(names, range.path("header").path("revision").asLong(), range.path("count").asLong(0), clusterId,
        endpoint.path("version").asText(""), endpoint.path("dbSize").asLong(0));
  }

  /**
   * One health probe with short timeouts: etcdctl 3.4 waits its whole command timeout when nothing
   * listens, which made every wait for a stopped member take 10 s.
   */
  boolean healthy() {
    return host.run(etcdctlCommand("2s", "endpoint", "health"), Duration.ofSeconds(20), line -> {}).succeeded();
  }

  /** Waits until the member answers healthy; false if it did not within {@code timeout}. */
  boolean awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (healthy()) {
        return true;
      }
      Thread.sleep(POLL.toMillis());
    }
    return false;
  }

  /** Waits until nothing answers at the client URL any more. */
  boolean awaitDown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!healthy()) {
        return true;
      }
      Thread.sleep(POLL.toMillis());
    }
    return false;
  }

  private JsonNode askJson(String... arguments) {
    CommandResult result = host.run(etcdctlCommand("10s", arguments).with("-w", "json"));
    if (!result.succeeded()) {
      throw new EtcdException("etcd at " + clientUrl + " (asked from " + host.where() + ") did not answer '"
          + String.join(" ", arguments) + "': " + result.tail());
    }
    try {
      return json.readTree(result.stdout());
    } catch (IOException e) {
      throw new EtcdException("etcdctl on " + host.where() + " printed something that is not JSON: " + result.tail());
    }
  }

  private Command etcdctlCommand(String commandTimeout, String... arguments) {
    return Command.of("env", "ETCDCTL_API=3", "etcdctl", "--endpoints", clientUrl, "--dial-timeout", "2s",
        "--command-timeout", commandTimeout).with(arguments);
  }
}
