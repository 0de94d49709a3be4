package dev.lifeboat.objectstore;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How Lifeboat talks to S3-compatible stores.
 *
 * @param partSize multipart part size; S3 allows at most 10,000 parts, so one upload of unknown
 *     length holds at most {@code 10,000 × partSize} (80 GB at the default)
 * @param partsInFlight parts of one upload sent at the same time (memory: (this + 1) × partSize)
 * @param parallelism objects transferred at the same time when many are (gateways overload)
 * @param maxAttempts tries per request, the first included, with exponential backoff between
 */
@Validated
@ConfigurationProperties("lifeboat.objectstore")
public record ObjectStoreProperties(
    @DefaultValue("8MB") DataSize partSize,
    @Min(1) @Max(16) @DefaultValue("2") int partsInFlight,
    @Min(1) @Max(64) @DefaultValue("4") int parallelism,
    @Min(1) @Max(20) @DefaultValue("5") int maxAttempts,
    @DefaultValue("PT0.5S") Duration retryBackoff,
    @DefaultValue("PT10S") Duration connectTimeout,
    @DefaultValue("PT2M") Duration socketTimeout) {

  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  public ObjectStoreProperties {
    if (partSize.toBytes() < MIN_PART_SIZE || partSize.toBytes() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("lifeboat.objectstore.part-size must be between 5MB and 2GB (S3 refuses"
          + " parts under 5 MiB), not " + partSize);
    }
  }

  /** The defaults, for code that opens a store outside Spring (tests, tools). */
  public static ObjectStoreProperties defaults() {
    return new ObjectStoreProperties(DataSize.ofMegabytes(8), 2, 4, 5, Duration.ofMillis(500),
        Duration.ofSeconds(10), Duration.ofMinutes(2));
  }
}
