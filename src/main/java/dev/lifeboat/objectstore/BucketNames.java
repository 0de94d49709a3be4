package dev.lifeboat.objectstore;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Bucket names that are not DNS labels ({@code db_wal}, Deis's WAL bucket). S3-compatible servers
 * (Ceph's gateway, S3Proxy, MinIO) accept them in path-style requests, and the SDK sends them in
 * every request but CreateBucket, whose name it checks against AWS's rules first. Such a bucket is
 * created under a valid placeholder name that the endpoint provider turns back into the real one,
 * before the request is signed.
 */
final class BucketNames implements S3EndpointProvider {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final S3EndpointProvider delegate = S3EndpointProvider.defaultProvider();
  private final Map<String, String> placeholders = new ConcurrentHashMap<>();

  static boolean dnsCompatible(String bucket) {
    return DNS_LABEL.matcher(bucket).matches() && !bucket.contains("..");
  }

  /** Runs {@code request} with a placeholder for {@code bucket} that reaches the server as {@code bucket}. */
  <T> T underPlaceholder(String bucket, Function<String, T> request) {
    String placeholder = "lifeboat-" + UUID.randomUUID();
    placeholders.put(placeholder, bucket);
    try {
      return request.apply(placeholder);
    } finally {
      placeholders.remove(placeholder);
    }
  }

  @Override
  public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
    CompletableFuture<Endpoint> endpoint = delegate.resolveEndpoint(params);
    String real = params.bucket() == null ? null : placeholders.get(params.bucket());
    if (real == null) {
      return endpoint;
    }
    return endpoint.thenApply(e -> {
      String url = e.url().toString();
      String suffix = "/" + params.bucket();
      if (!url.endsWith(suffix)) {
        throw new IllegalStateException("expected a path-style endpoint for bucket creation, got " + url);
      }
      return e.toBuilder()
          .url(URI.create(url.substring(0, url.length() - suffix.length()) + "/" + SdkHttpUtils.urlEncode(real)))
          .build();
    });
  }
}
