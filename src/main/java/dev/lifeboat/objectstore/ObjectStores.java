package dev.lifeboat.objectstore;

import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.net.URI;
import java.time.Duration;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens {@link ObjectStore}s: the S3 connection from a {@link S3Connection}, the secret from its credentialRef. */
@Component
public class ObjectStores {

  private static final long GIB = 1024L * 1024 * 1024;

  private final Credentials credentials;
  private final ObjectStoreProperties properties;

  public ObjectStores(Credentials credentials, ObjectStoreProperties properties) {
    this.credentials = credentials;
    this.properties = properties;
  }

  /**
   * A store for {@code connection}; the caller closes it. Refuses (IllegalStateException naming
   * what to configure) when the credentials are missing, of another kind, or unreadable.
   */
  public ObjectStore open(S3Connection connection) {
    return open(connection, S3ObjectStore.MAX_COPY_IN_ONE, GIB);
  }

  /** As {@link #open(S3Connection)}, with the multipart-copy threshold lowered (tests copy "large" objects). */
  ObjectStore open(S3Connection connection, long copyInOneLimit, long copyPartSize) {
    String ref = connection.credentialRef();
    if (ref == null || ref.isBlank()) {
      throw new IllegalStateException("no credentials for the object store at " + connection.describe()
          + ": name an entry of lifeboat.credentials with an access key id (username) and a secret key"
          + " (password-file)");
    }
    credentials.problem(ref, CredentialKind.S3).ifPresent(problem -> {
      throw new IllegalStateException(problem);
    });
    Credential credential = credentials.resolve(ref);
    String secret = Credentials.readSecret(ref, "secret key (password-file)", credential.passwordFile());
    return open(connection, credential.username(), secret, copyInOneLimit, copyPartSize);
  }

  /**
   * A store for {@code connection} with keys the caller obtained itself (e.g. read from the
   * platform for one step) instead of configured credentials; they live only in the returned
   * client, which the caller closes. The connection's credentialRef is ignored.
   */
  public ObjectStore open(S3Connection connection, String accessKeyId, String secretKey) {
    if (accessKeyId == null || accessKeyId.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new IllegalStateException("no access key for the object store at " + connection.describe());
    }
    return open(connection, accessKeyId, secretKey, S3ObjectStore.MAX_COPY_IN_ONE, GIB);
  }

  private ObjectStore open(S3Connection connection, String accessKeyId, String secret, long copyInOneLimit,
      long copyPartSize) {
    URI endpoint = connection.endpointUri();
    BucketNames bucketNames = new BucketNames();
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(connection.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        // Servers built on older S3 code (Ceph's gateway, older MinIO and S3Proxy) refuse the
        // SDK's default CRC32 trailers; integrity comes from Content-MD5 on every part instead.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .connectionTimeout(properties.connectTimeout())
            .socketTimeout(properties.socketTimeout())
            .maxConnections(Math.max(16, properties.parallelism() * (properties.partsInFlight() + 1))))
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .maxAttempts(properties.maxAttempts())
              .backoffStrategy(BackoffStrategy.exponentialDelay(properties.retryBackoff(), maxBackoff()))
              .build());
        });
    if (endpoint != null) {
      // S3-compatible servers: the bucket goes in the path. From SDK 2.18 a custom endpoint would
      // otherwise get virtual-host addressing for DNS-safe names, which gateways without wildcard
      // DNS cannot answer; names like db_wal are not DNS-safe at all.
      builder.endpointOverride(endpoint).forcePathStyle(true).endpointProvider(bucketNames);
    }
    return new S3ObjectStore(builder.build(), endpoint != null ? bucketNames : null, connection.describe(), (int) properties.partSize().toBytes(),
        properties.partsInFlight(), copyInOneLimit, copyPartSize);
  }

  /** Objects transferred at the same time when many are (lifeboat.objectstore.parallelism). */
  public int parallelism() {
    return properties.parallelism();
  }

  private Duration maxBackoff() {
    Duration max = properties.retryBackoff().multipliedBy(32);
    return max.compareTo(Duration.ofSeconds(20)) > 0 ? Duration.ofSeconds(20) : max;
  }
}
