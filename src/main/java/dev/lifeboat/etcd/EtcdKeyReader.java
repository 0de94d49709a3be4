package dev.lifeboat.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.OptionsUtil;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads an etcd cluster's keys for a dump (or to compare a cluster with one): the v3 key space
 * through jetcd in pages at one revision, so memory stays bounded whatever the key count; the v2
 * key space through etcd's v2 HTTP API, including hidden roots ({@code _}-names, never listed),
 * which are read by name.
 */
@Component
class EtcdKeyReader {

  /** Fleet keeps its scheduling state under this hidden v2 root. */
  static final String FLEET_ROOT = "/_coreos.com";
  static final int PAGE = 1000;

  interface V3Sink {
    void accept(EtcdDump.V3Key key) throws IOException;
  }

  interface V2Sink {
    void accept(EtcdDump.V2Node node) throws IOException;
  }

  private final EtcdClusterInspector inspector;
  private final Credentials credentials;
  private final EtcdProperties properties;
  private final ObjectMapper json;
  private final HttpClient http;

  EtcdKeyReader(EtcdClusterInspector inspector, Credentials credentials, EtcdProperties properties, ObjectMapper json) {
    this.inspector = inspector;
    this.credentials = credentials;
    this.properties = properties;
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
  }

  /** The v3 range of a prefix: everything for an empty prefix. */
  static ByteSequence[] range(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      ByteSequence zero = ByteSequence.from(new byte[] {0});
      return new ByteSequence[] {zero, zero};
    }
    ByteSequence start = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    return new ByteSequence[] {start, OptionsUtil.prefixEndOf(start)};
  }

  /**
   * Every v3 key under {@code prefix} at {@code revision}, in key order, page by page; the
   * remaining TTL of each lease is asked once. Returns the number of leases seen.
   */
  long readV3(Client client, String endpoint, String prefix, long revision, V3Sink sink) throws IOException {
    ByteSequence[] range = range(prefix);
    ByteSequence from = range[0];
    Map<Long, Long> ttls = new HashMap<>();
    while (true) {
      GetOption option = GetOption.builder().withRange(range[1]).withRevision(revision).withLimit(PAGE)
          .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
      GetResponse page = inspector.await(client.getKVClient().get(from, option), endpoint, "reading keys");
      List<KeyValue> kvs = page.getKvs();
      for (KeyValue kv : kvs) {
        long lease = kv.getLease();
        long ttl = 0;
        if (lease != 0) {
          Long known = ttls.get(lease);
          if (known == null) {
            known = inspector.await(client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT), endpoint,
                "lease " + Long.toHexString(lease)).getTTL();
            ttls.put(lease, known);
          }
          ttl = known;
        }
        sink.accept(new EtcdDump.V3Key(kv.getKey().getBytes(), kv.getValue().getBytes(), lease, ttl));
      }
      if (!page.isMore() || kvs.isEmpty()) {
        return ttls.size();
      }
      byte[] last = kvs.getLast().getKey().getBytes();
      from = ByteSequence.from(Arrays.copyOf(last, last.length + 1)); // the next key after the last one
    }
  }

  /**
   * The v3 keys under {@code prefix} in key order, fetched a page at a time as they are consumed:
   * two sorted streams (a dump and a cluster) are compared side by side in bounded memory.
   */
  V3Cursor cursor(Client client, String endpoint, String prefix, boolean keysOnly) {
    return new V3Cursor(client, endpoint, range(prefix), keysOnly);
  }

  final class V3Cursor {

    private final Client client;
    private final String endpoint;
    private final ByteSequence end;
    private final boolean keysOnly;
    private ByteSequence from;
    private List<KeyValue> page = List.of();
    private int position;
    private boolean more = true;
    private long revision;

    private V3Cursor(Client client, String endpoint, ByteSequence[] range, boolean keysOnly) {
      this.client = client;
      this.endpoint = endpoint;
      this.from = range[0];
      this.end = range[1];
      this.keysOnly = keysOnly;
    }

    /** The next key without consuming it, or null at the end. */
    KeyValue peek() {
      if (position < page.size()) {
        return page.get(position);
      }
      while (more) {
        GetOption.Builder option = GetOption.builder().withRange(end).withLimit(PAGE).withKeysOnly(keysOnly)
            .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND);
        if (revision != 0) {
          option.withRevision(revision); // every page at the revision of the first
        }
        GetResponse response = inspector.await(client.getKVClient().get(from, option.build()), endpoint, "reading keys");
        if (revision == 0) {
          revision = response.getHeader().getRevision();
        }
        page = response.getKvs();
        position = 0;
        more = response.isMore() && !page.isEmpty();
        if (!page.isEmpty()) {
          byte[] last = page.getLast().getKey().getBytes();
          from = ByteSequence.from(Arrays.copyOf(last, last.length + 1));
          return page.getFirst();
        }
      }
      return null;
    }

    KeyValue next() {
      KeyValue kv = peek();
      if (kv != null) {
        position++;
      }
      return kv;
    }

    /** Skips keys before {@code key}; true when the cursor then stands on exactly {@code key}. */
    boolean seek(byte[] key) {
      for (KeyValue kv = peek(); kv != null; kv = peek()) {
        int order = Arrays.compareUnsigned(kv.getKey().getBytes(), key);
        if (order >= 0) {
          return order == 0;
        }
        position++;
      }
      return false;
    }
  }

  /** What a v2 read saw: how many nodes and the v2 index it was read at. */
  record V2Read(long nodes, long index, List<String> hiddenRootsFound) {}

  /**
   * The v2 tree under {@code prefix} (recursive, directories and TTLs kept), then each hidden root
   * under it, read by name: {@link #FLEET_ROOT} and {@code hiddenRoots}. Nodes come in the order
   * the v2 API sorts them, so two reads of equal trees give equal digests.
   */
  V2Read readV2(String endpoint, String credentialRef, String prefix, List<String> hiddenRoots, V2Sink sink)
      throws IOException {
    String root = prefix == null || prefix.isBlank() ? "/" : (prefix.startsWith("/") ? prefix : "/" + prefix);
    long[] count = {0};
    long index = 0;
    List<String> found = new ArrayList<>();
    V2Answer listing = getV2(endpoint, credentialRef, root);
    if (listing.node() != null) {
      index = listing.index();
      count[0] += walk(listing.node(), sink, true);
    }
    List<String> roots = new ArrayList<>();
    roots.add(FLEET_ROOT);
    roots.addAll(hiddenRoots);
    for (String hidden : roots) {
      String name = hidden.startsWith("/") ? hidden : "/" + hidden;
      if (!root.equals("/") && !name.startsWith(root.endsWith("/") ? root : root + "/") && !name.equals(root)) {
        continue;
      }
      V2Answer answer = getV2(endpoint, credentialRef, name);
      if (answer.node() != null) {
        found.add(name);
        count[0] += walk(answer.node(), sink, false);
        index = Math.max(index, answer.index());
      }
    }
    return new V2Read(count[0], index, found);
  }

  /** Fails with what to do when the endpoint does not serve the v2 API. */
  void probeV2(String endpoint, String credentialRef) throws IOException {
    getV2(endpoint, credentialRef, "/_lifeboat-probe");
  }

  private long walk(JsonNode node, V2Sink sink, boolean isQueryRoot) throws IOException {
    long count = 0;
    String key = node.path("key").asText("");
    boolean dir = node.path("dir").asBoolean(false);
    // The root "/" has no key; the queried directory itself is a real node unless it is the root.
    if (!key.isEmpty()) {
      sink.accept(new EtcdDump.V2Node(key, dir, dir ? null : node.path("value").asText(""), node.path("ttl").asLong(0)));
      count++;
    }
    for (JsonNode child : node.path("nodes")) {
      count += walk(child, sink, false);
    }
    return count;
  }

  private record V2Answer(JsonNode node, long index) {}

  /** GET /v2/keys/&lt;path&gt;?recursive=true&amp;sorted=true; a missing key is no node, v2 switched off an error. */
  private V2Answer getV2(String endpoint, String credentialRef, String path) throws IOException {
    if (endpoint.startsWith("https:")) {
      throw new EtcdException(endpoint + ": reading the v2 key space over TLS is not supported yet; use an http"
          + " endpoint for keySpaces v2 (see README, etcd-dump)");
    }
    StringBuilder encoded = new StringBuilder();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        encoded.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    URI uri = URI.create(stripSlash(endpoint) + "/v2/keys" + encoded + "?recursive=true&sorted=true");
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(properties.requestTimeout()).GET();
    v2Auth(credentialRef, request);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException(endpoint + ": interrupted reading the v2 key space");
    } catch (IOException e) {
      throw new EtcdException(endpoint + ": reading v2 key " + path + " failed: " + e.getMessage(), e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() == 404 && body != null && body.path("errorCode").asInt() == 100) {
      return new V2Answer(null, 0); // Key not found
    }
    if (response.statusCode() == 404) {
      throw new EtcdException(endpoint + " does not serve the v2 API (etcd 3.4 and later need --enable-v2=true;"
          + " 3.6 removed it): dump keySpaces v3 only");
    }
    if (response.statusCode() != 200 || body == null) {
      throw new EtcdException(endpoint + ": v2 GET " + path + " answered " + response.statusCode() + ": "
          + new String(response.body(), StandardCharsets.UTF_8).strip());
    }
    long index = response.headers().firstValueAsLong("X-Etcd-Index").orElse(0);
    return new V2Answer(body.path("node"), index);
  }

  private void v2Auth(String credentialRef, HttpRequest.Builder request) {
    if (credentialRef == null || credentialRef.isBlank()) {
      return;
    }
    Credential credential = credentials.resolve(credentialRef);
    if (credential.username() != null && credential.passwordFile() != null) {
      String password = Credentials.readSecret(credentialRef, "password-file", credential.passwordFile());
      String token = Base64.getEncoder().encodeToString((credential.username() + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + token);
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  static String stripSlash(String endpoint) {
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }
}
