package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;

/**
 * A real S3 server in this JVM: S3Proxy on 127.0.0.1 and a free port, objects kept as files under
 * a fresh directory (its filesystem backend), AWS v2/v4 signatures checked against a random access
 * key and secret. Buckets are created by the test (the store starts empty).
 */
public final class S3ProxyServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final Path root;
  private final String accessKey;
  private final String secretKey;
  private final String endpoint;

  private S3ProxyServer(S3Proxy proxy, BlobStore blobStore, Path root, String accessKey, String secretKey, int port) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.root = root;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.endpoint = "http://127.0.0.1:" + port;
  }

  public static S3ProxyServer start(Path tempDir) {
    Path root;
    try {
      root = Files.createTempDirectory(tempDir, "s3proxy-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String accessKey = "LIFEBOATTEST" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    String secretKey = "secret-" + UUID.randomUUID();
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", root.toString());
    properties.setProperty(Constants.PROPERTY_IDENTITY, accessKey);
    properties.setProperty(Constants.PROPERTY_CREDENTIAL, secretKey);
    BlobStore blobStore = BlobStores.create("filesystem-nio2", properties);
    int port = FreePorts.next();
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy on port " + port + " not started after " + START_TIMEOUT
              + " (state " + proxy.getState() + ")");
        }
        Exec.sleep(Duration.ofMillis(20));
      }
    } catch (Exception e) {
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // it did not start
      }
      throw new IllegalStateException("could not start S3Proxy on 127.0.0.1:" + port, e);
    }
    return new S3ProxyServer(proxy, blobStore, root, accessKey, secretKey, proxy.getPort());
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** Where the filesystem backend keeps buckets (one directory each) and objects. */
  public Path root() {
    return root;
  }

  /**
   * Lifeboat properties for credentials named {@code ref} of kind s3: the access key as username,
   * the secret in a file (mode 0600) under {@code dir}.
   */
  public Map<String, String> credentialProperties(String ref, Path dir) {
    return credentialProperties(ref, dir, secretKey);
  }

  /**
   * Lifeboat properties for an S3 backup repository in {@code bucket} of this server, with its
   * credentials (named {@code ref}, the secret in a file under {@code dir}).
   */
  public Map<String, String> storageProperties(String bucket, String ref, Path dir) {
    Map<String, String> props = new LinkedHashMap<>(credentialProperties(ref, dir));
    props.put("lifeboat.storage.type", "s3");
    props.put("lifeboat.storage.s3.endpoint", endpoint);
    props.put("lifeboat.storage.s3.bucket", bucket);
    props.put("lifeboat.storage.s3.credential-ref", ref);
    return props;
  }

  /** As {@link #credentialProperties(String, Path)}, with another secret (to be refused). */
  public Map<String, String> credentialProperties(String ref, Path dir, String secret) {
    Path file = dir.resolve(ref + ".secret");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, secret + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("lifeboat.credentials." + ref + ".username", accessKey);
    props.put("lifeboat.credentials." + ref + ".password-file", file.toString());
    return props;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
      blobStore.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy at " + endpoint, e);
    }
  }

  @Override
  public String toString() {
    return "S3Proxy at " + endpoint;
  }
}
