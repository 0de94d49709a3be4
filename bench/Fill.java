import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills an etcd with Kubernetes-like objects, fast, with nothing but the JDK: it posts batched
 * transactions to etcd's own JSON gateway ({@code POST /v3/kv/txn}), from a few threads at once,
 * so that etcd's raft batches many puts into each WAL fsync. Run as a single-file program:
 *
 * <pre>java bench/Fill.java --endpoint http://127.0.0.1:2379 --mib 256 [--threads 4]
 *     [--batch-kib 768] [--seed 1] [--prefix /registry]</pre>
 *
 * Values are 4-64 KiB (log-uniform), JSON-ish text with a share of random base64 (like Secrets,
 * certificates and last-applied annotations), so a gzip of the snapshot shrinks it 2-4x, roughly
 * as a real Kubernetes etcd does. The data is deterministic for a given seed. Prints one summary
 * line: keys, value bytes, seconds, MiB/s.
 */
public class Fill {

  static final String[] WORDS = ("api app auth backend batch billing cache canary checkout cluster config "
      + "controller core cron data db default deploy edge etcd events frontend gateway ingress internal "
      + "job kafka kube logging metrics monitoring nginx node operator orders payments postgres prod "
      + "prometheus proxy queue redis registry replica search service shard staging storage stream "
      + "system team tenant users web worker zone alpha beta gamma delta east west north south").split(" ");
  static final String[] KINDS = {"pods", "configmaps", "secrets", "deployments", "replicasets", "services",
      "events", "leases", "endpointslices", "serviceaccounts"};

  public static void main(String[] args) throws Exception {
    String endpoint = "http://127.0.0.1:2379";
    long mib = 64;
    int threads = 4;
    int batchKib = 768;
    long seed = 1;
    String prefix = "/registry";
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--endpoint" -> endpoint = value;
        case "--mib" -> mib = Long.parseLong(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--batch-kib" -> batchKib = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--prefix" -> prefix = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long target = mib << 20;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    URI txn = URI.create(endpoint + "/v3/kv/txn");
    AtomicLong written = new AtomicLong();
    AtomicLong keys = new AtomicLong();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      // Each thread owns a share of the target and its own random stream: deterministic per seed.
      long share = target / threads + (t == 0 ? target % threads : 0);
      Worker worker = new Worker(http, txn, share, batchKib << 10, new SplittableRandom(seed * 1000 + t),
          prefix, t, written, keys);
      workers.add(pool.submit(() -> {
        worker.run();
        return null;
      }));
    }
    try {
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("fill: %d keys, %d value bytes (%.1f MiB) in %.1f s, %.1f MiB/s%n", keys.get(), written.get(),
        written.get() / 1048576.0, seconds, written.get() / 1048576.0 / seconds);
  }

  record Worker(HttpClient http, URI txn, long share, int batchBytes, SplittableRandom random, String prefix,
      int id, AtomicLong written, AtomicLong keys) {

    void run() throws Exception {
      Base64.Encoder b64 = Base64.getEncoder();
      long done = 0;
      int n = 0;
      while (done < share) {
        StringBuilder body = new StringBuilder(batchBytes * 4 / 3 + 4096).append("{\"success\":[");
        int batch = 0;
        int count = 0;
        while (batch < batchBytes && done + batch < share) {
          String kind = KINDS[random.nextInt(KINDS.length)];
          String key = prefix + "/" + kind + "/" + word() + "-" + random.nextInt(40) + "/" + word() + "-" + word()
              + "-" + id + "-" + n++;
          byte[] value = object(kind, key);
          if (count++ > 0) {
            body.append(',');
          }
          body.append("{\"requestPut\":{\"key\":\"")
              .append(b64.encodeToString(key.getBytes(StandardCharsets.UTF_8)))
              .append("\",\"value\":\"").append(b64.encodeToString(value)).append("\"}}");
          batch += value.length;
        }
        body.append("]}");
        post(body.toString());
        done += batch;
        written.addAndGet(batch);
        keys.addAndGet(count);
      }
    }

    private void post(String body) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(txn).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && !response.body().contains("\"error\"")) {
          return;
        }
        if (attempt == 3) {
          throw new IllegalStateException("etcd refused a batch: HTTP " + response.statusCode() + " " + response.body());
        }
        Thread.sleep(500);
      }
    }

    private String word() {
      return WORDS[random.nextInt(WORDS.length)];
    }

    /** A Kubernetes-ish object of 4-64 KiB: JSON text, and about a third of it random base64. */
    private byte[] object(String kind, String key) {
      int size = (int) Math.exp(Math.log(4096) + random.nextDouble() * (Math.log(65536) - Math.log(4096)));
      double randomShare = 0.15 + random.nextDouble() * 0.35;
      StringBuilder s = new StringBuilder(size + 1024);
      s.append("{\"apiVersion\":\"v1\",\"kind\":\"").append(kind).append("\",\"metadata\":{\"name\":\"")
          .append(key.substring(key.lastIndexOf('/') + 1)).append("\",\"uid\":\"").append(uuid())
          .append("\",\"resourceVersion\":\"").append(random.nextInt(1 << 30))
          .append("\",\"creationTimestamp\":\"2025-").append(10 + random.nextInt(3)).append('-')
          .append(10 + random.nextInt(18)).append("T").append(10 + random.nextInt(14)).append(':')
          .append(10 + random.nextInt(50)).append(":00Z\",\"labels\":{\"app\":\"").append(word())
          .append("\",\"tier\":\"").append(word()).append("\"}},\"spec\":{\"containers\":[");
      int randomBytes = (int) (size * randomShare);
      int textBytes = size - randomBytes;
      while (s.length() < textBytes) {
        s.append("{\"name\":\"").append(word()).append('-').append(word()).append("\",\"image\":\"registry.local/")
            .append(word()).append('/').append(word()).append(":v1.").append(random.nextInt(40)).append('.')
            .append(random.nextInt(10)).append("\",\"env\":[{\"name\":\"").append(word().toUpperCase())
            .append("_URL\",\"value\":\"http://").append(word()).append('.').append(word())
            .append(".svc:").append(1024 + random.nextInt(9000)).append("\"},{\"name\":\"")
            .append(word().toUpperCase()).append("_MODE\",\"value\":\"").append(word())
            .append("\"}],\"resources\":{\"limits\":{\"cpu\":\"").append(100 * (1 + random.nextInt(20)))
            .append("m\",\"memory\":\"").append(64 * (1 + random.nextInt(64)))
            .append("Mi\"}},\"ports\":[{\"containerPort\":").append(1024 + random.nextInt(60000))
            .append(",\"protocol\":\"TCP\"}]},");
      }
      s.append("{}]},\"data\":{\"tls.crt\":\"");
      byte[] noise = new byte[randomBytes * 3 / 4];
      for (int i = 0; i < noise.length; i += 8) {
        long r = random.nextLong();
        for (int j = 0; j < 8 && i + j < noise.length; j++) {
          noise[i + j] = (byte) (r >>> (8 * j));
        }
      }
      s.append(Base64.getEncoder().encodeToString(noise)).append("\"}}");
      return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String uuid() {
      return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
  }
}
