package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
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
  private static final Duration POLL = Duration.ofMillis(100);

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

  /**
   * Whether the member answers healthy, asking etcdctl only when something listens at the client
   * URL: a refused connection answers at once where etcdctl would wait its 2 s command timeout.
   */
  boolean up() {
    return listening() != Listening.REFUSED && healthy();
  }

  /** What a TCP connection to the client URL's port found, from the host. */
  enum Listening {
    /** Something accepted the connection. */
    ACCEPTED,
    /** The host refused it: nothing listens there, which proves the member down. */
    REFUSED,
    /** No answer either way (no bash or timeout on the host, a name that does not resolve, a timeout). */
    UNKNOWN
  }

  /**
   * Connects to the client URL's port from the host (bash's /dev/tcp, at most 2 s): a refusal
   * proves nothing listens; anything else proves nothing and the caller asks etcdctl.
   */
  Listening listening() {
    URI url;
    try {
      url = URI.create(clientUrl);
    } catch (IllegalArgumentException e) {
      return Listening.UNKNOWN;
    }
    if (url.getHost() == null) {
      return Listening.UNKNOWN;
    }
    String address = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
        : url.getHost();
    int port = url.getPort() > 0 ? url.getPort() : 2379;
    CommandResult result = host.run(Command.of("env", "LC_ALL=C", "timeout", "2", "bash", "-c",
        "exec 3<>\"/dev/tcp/$0/$1\"", address, Integer.toString(port)), Duration.ofSeconds(10), line -> {});
    if (result.succeeded()) {
      return Listening.ACCEPTED;
    }
    return result.exitStatus() == 1 && result.stderr().contains("Connection refused") ? Listening.REFUSED
        : Listening.UNKNOWN;
  }

  /** Waits until the member answers healthy; false if it did not within {@code timeout}. */
  boolean awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (up()) {
        return true;
      }
      Thread.sleep(POLL.toMillis());
    }
    return false;
  }

  /**
   * Waits until nothing answers at the client URL any more: the port refuses connections, or
   * (when that cannot be told) etcdctl finds it unhealthy.
   */
  boolean awaitDown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Listening listening = listening();
      if (listening == Listening.REFUSED || (listening == Listening.UNKNOWN && !healthy())) {
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
