package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes keys into a cluster: v3 keys in transactions of bounded size (etcd refuses more than 128
 * operations or about 1.5 MiB per request by default), each lease of the dump recreated once with
 * the TTL it had left; v2 nodes one by one through the v2 HTTP API.
 */
final class EtcdKeyWriter implements AutoCloseable {

  static final int MAX_OPS = 128;
  static final long MAX_BYTES = 1 << 20;

  private final Client client;
  private final String endpoint;
  private final EtcdClusterInspector inspector;
  private final Map<Long, Long> leases = new HashMap<>();
  private final List<Op> ops = new ArrayList<>();
  private long bytes;
  private long written;
  private long transactions;

  EtcdKeyWriter(Client client, String endpoint, EtcdClusterInspector inspector) {
    this.client = client;
    this.endpoint = endpoint;
    this.inspector = inspector;
  }

  /** Puts a key; a key that had a lease gets a new lease with its remaining TTL (none if it had expired). */
  void put(EtcdDump.V3Key key) {
    PutOption option = PutOption.DEFAULT;
    if (key.lease() != 0 && key.ttl() > 0) {
      Long lease = leases.get(key.lease());
      if (lease == null) {
        lease = inspector.await(client.getLeaseClient().grant(key.ttl()), endpoint, "granting a lease of "
            + key.ttl() + " s").getID();
        leases.put(key.lease(), lease);
      }
      option = PutOption.builder().withLeaseId(lease).build();
    }
    add(Op.put(ByteSequence.from(key.key()), ByteSequence.from(key.value()), option), key.key().length
        + key.value().length);
  }

  void delete(byte[] key) {
    add(Op.delete(ByteSequence.from(key), DeleteOption.DEFAULT), key.length);
  }

  private void add(Op op, long size) {
    if (!ops.isEmpty() && (ops.size() >= MAX_OPS || bytes + size > MAX_BYTES)) {
      flush();
    }
    ops.add(op);
    bytes += size;
  }

  /** Commits what is batched as one transaction. */
  void flush() {
    if (ops.isEmpty()) {
      return;
    }
    inspector.await(client.getKVClient().txn().Then(ops.toArray(Op[]::new)).commit(), endpoint,
        "writing " + ops.size() + " keys in one transaction");
    written += ops.size();
    transactions++;
    ops.clear();
    bytes = 0;
  }

  long written() {
    return written;
  }

  long transactions() {
    return transactions;
  }

  long leasesGranted() {
    return leases.size();
  }

  @Override
  public void close() {
    flush();
  }

  /** v2 writes through the HTTP API (directories, values, TTLs); the v2 store has no transactions. */
  static final class V2 {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String endpoint;
    private final ObjectMapper json;

    V2(String endpoint, ObjectMapper json) {
      this.endpoint = EtcdKeyReader.stripSlash(endpoint);
      this.json = json;
    }

    void put(EtcdDump.V2Node node) throws IOException {
      StringBuilder form = new StringBuilder();
      if (node.dir()) {
        form.append("dir=true&prevExist=false");
      } else {
        form.append("value=").append(URLEncoder.encode(node.value(), StandardCharsets.UTF_8));
      }
      if (node.ttl() > 0) {
        form.append("&ttl=").append(node.ttl());
      }
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri(node.key(), ""))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString(form.toString())), node.key());
      if (node.dir() && response.statusCode() == 412 && errorCode(response) == 105) {
        return; // the directory exists already ("Key already exists"): nothing to write
      }
      if (node.dir() && response.statusCode() == 403 && errorCode(response) == 102) {
        return; // "Not a file": an existing directory
      }
      check(response, "PUT", node.key());
    }

    void delete(String key, boolean dir) throws IOException {
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri(key, dir ? "?dir=true&recursive=true" : ""))
          .DELETE(), key);
      if (response.statusCode() == 404) {
        return;
      }
      check(response, "DELETE", key);
    }

    private URI uri(String key, String query) {
      StringBuilder path = new StringBuilder();
      for (String part : key.split("/")) {
        if (!part.isEmpty()) {
          path.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
      }
      return URI.create(endpoint + "/v2/keys" + path + query);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String key) throws IOException {
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EtcdException(endpoint + ": interrupted writing v2 key " + key);
      }
    }

    private int errorCode(HttpResponse<String> response) {
      try {
        JsonNode body = json.readTree(response.body());
        return body.path("errorCode").asInt();
      } catch (IOException e) {
        return 0;
      }
    }

    private void check(HttpResponse<String> response, String method, String key) {
      if (response.statusCode() / 100 != 2) {
        throw new EtcdException(endpoint + ": v2 " + method + " " + key + " answered " + response.statusCode() + ": "
            + response.body().strip());
      }
    }
  }
}
