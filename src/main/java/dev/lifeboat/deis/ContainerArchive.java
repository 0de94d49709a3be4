package dev.lifeboat.deis;

import java.time.Instant;
import java.util.List;

/**
 * metadata.json of a data-container archive: one tar per container (as {@code docker export} wrote
 * it), each with its size and sha256, taken from one host.
 */
record ContainerArchive(
    String format,
    String kind,
    String backupId,
    String host,
    String dockerVersion,
    List<Part> containers,
    Instant startedAt,
    Instant finishedAt,
    String notes,
    String createdBy,
    String runId) {

  static final String KIND = "deis-data-containers";
  static final String FORMAT = "lifeboat-deis-data-containers/1";
  static final String METADATA_ENTRY = "metadata.json";
  static final String DEFAULT_CONTAINERS = "deis-builder-data,deis-logger-data,deis-registry-data";

  record Part(String container, String entry, long size, String sha256) {}

  static String entryOf(String container) {
    return container + ".tar";
  }
}
