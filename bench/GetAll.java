import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The floor of bench/deis-store.sh: how long the S3 server takes to serve a bucket's every object
 * when a client does nothing with the bytes (no hashing, no disk), with N GETs at a time. No
 * client that keeps the objects can be faster on the same server and cores. Run as a single-file
 * program on the test classpath:
 *
 * <pre>java -cp "$TEST_CLASSPATH" bench/GetAll.java --endpoint URL --bucket B --access-key K --secret-key S --parallel 4 --rounds 3</pre>
 *
 * It prints the seconds of each round (listing included; the JVM's start is not), one per line.
 */
public class GetAll {

  public static void main(String[] args) throws Exception {
    String endpoint = null;
    String bucket = null;
    String accessKey = null;
    String secretKey = null;
    int parallel = 4;
    int rounds = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--endpoint" -> endpoint = args[i + 1];
        case "--bucket" -> bucket = args[i + 1];
        case "--access-key" -> accessKey = args[i + 1];
        case "--secret-key" -> secretKey = args[i + 1];
        case "--parallel" -> parallel = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(parallel * 2))
        .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(parallel);
      for (int round = 0; round < rounds; round++) {
        long started = System.nanoTime();
        List<Future<Long>> gets = new ArrayList<>();
        String token = null;
        do {
          String page = token;
          String name = bucket;
          ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(name).continuationToken(page));
          for (S3Object object : listing.contents()) {
            gets.add(pool.submit(() -> {
              try (InputStream in = s3.getObject(b -> b.bucket(name).key(object.key()))) {
                return in.transferTo(OutputStream.nullOutputStream());
              }
            }));
          }
          token = Boolean.TRUE.equals(listing.isTruncated()) ? listing.nextContinuationToken() : null;
        } while (token != null);
        long bytes = 0;
        for (Future<Long> get : gets) {
          bytes += get.get();
        }
        System.out.printf("%.2f %d %d%n", (System.nanoTime() - started) / 1e9, gets.size(), bytes);
      }
      pool.shutdown();
    }
  }
}
