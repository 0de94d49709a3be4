package dev.lifeboat.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where backup archives are kept: {@code type} chooses the repository (a local directory by
 * default, or an S3-compatible bucket), the matching section configures it.
 */
@Validated
@ConfigurationProperties("lifeboat.storage")
public record StorageProperties(
    @NotNull @DefaultValue("local") Type type,
    @DefaultValue Local local,
    @DefaultValue S3 s3) {

  public enum Type { LOCAL, S3 }

  /** The local backup repository; defaults to {@code <data-dir>/backups}. */
  public record Local(@NotNull @DefaultValue("./lifeboat-data/backups") Path directory) {}

  /**
   * The S3 backup repository: archives are the objects {@code <prefix><archive name>} in
   * {@code bucket}; staging uses {@code <prefix>.staging/}.
   *
   * @param endpoint the store's URL ({@code https://rgw.example.org}); empty for AWS S3 itself
   * @param region the signing region
   * @param credentialRef {@code lifeboat.credentials.<ref>} with username (access key id) and
   *     password-file (secret key)
   */
  public record S3(
      String endpoint,
      @DefaultValue("us-east-1") String region,
      String bucket,
      @DefaultValue("lifeboat/") String prefix,
      String credentialRef) {}
}
