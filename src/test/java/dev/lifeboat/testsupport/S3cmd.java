package dev.lifeboat.testsupport;

import dev.lifeboat.archive.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code s3cmd}, the independent client that checks what Lifeboat stored: configured for
 * one server, path-style (no bucket in the host name), signature v4, plain HTTP on loopback.
 */
public final class S3cmd {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path config;

  private S3cmd(Path config) {
    this.config = config;
  }

  /** Writes an s3cmd configuration for {@code server} under {@code dir}. */
  public static S3cmd against(S3ProxyServer server, Path dir) {
    binary();
    String hostPort = server.endpoint().substring("http://".length());
    Path config = dir.resolve("s3cmd-" + hostPort.replace(':', '-') + ".cfg");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, String.join("\n",
          "[default]",
          "access_key = " + server.accessKey(),
          "secret_key = " + server.secretKey(),
          "host_base = " + hostPort,
          "host_bucket = " + hostPort, // no %(bucket)s: path-style, as db_wal needs
          "use_https = False",
          "signature_v2 = False",
          "bucket_location = US",
          "check_ssl_certificate = False",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3cmd(config);
  }

  /** Downloads {@code s3://bucket/key} to {@code file} (replacing it). */
  public void get(String bucket, String key, Path file) {
    run("get", "--force", "s3://" + bucket + "/" + key, file.toString());
  }

  /** The sha256 of {@code s3://bucket/key} as s3cmd downloads it (lower-case hex, like sha256sum). */
  public String sha256(String bucket, String key) {
    try {
      Path file = Files.createTempFile(config.getParent(), "s3cmd-get-", ".bin");
      try {
        get(bucket, key, file);
        try (InputStream in = Files.newInputStream(file)) {
          return Sha256.of(in);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void put(Path file, String bucket, String key) {
    run("put", file.toString(), "s3://" + bucket + "/" + key);
  }

  public void makeBucket(String bucket) {
    run("mb", "s3://" + bucket);
  }

  /** The keys under {@code s3://bucket/prefix}, recursively. */
  public List<String> keys(String bucket, String prefix) {
    String url = "s3://" + bucket + "/";
    List<String> keys = new ArrayList<>();
    for (String line : run("ls", "--recursive", "s3://" + bucket + "/" + prefix).lines().toList()) {
      int at = line.indexOf(url);
      if (at >= 0) {
        keys.add(line.substring(at + url.length()));
      }
    }
    return keys;
  }

  /**
   * Multipart uploads in progress in the bucket, one line each: {@code s3cmd multipart} prints the
   * bucket URL, then "initiated TAB s3://bucket/key TAB upload id" per upload.
   */
  public List<String> multipartUploads(String bucket) {
    String url = "s3://" + bucket + "/";
    return run("multipart", "s3://" + bucket).lines()
        .filter(line -> line.contains(url) && line.contains("\t")).toList();
  }

  /** Runs s3cmd with this configuration; returns stdout, or fails with s3cmd's output. */
  public String run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--config=" + config, "--no-progress"));
    command.addAll(List.of(args));
    return Exec.runChecked(command, S3cmd::environment, null, TIMEOUT).stdout();
  }

  private static void environment(Map<String, String> env) {
    env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("S3CMD"));
  }

  static Path binary() {
    return Exec.findBinary("s3cmd", Path.of("/usr/bin/s3cmd"))
        .orElseThrow(() -> new IllegalStateException("s3cmd not found on PATH or at /usr/bin/s3cmd: install the"
            + " Debian package s3cmd " + Exec.INSTALL_HINT));
  }
}
