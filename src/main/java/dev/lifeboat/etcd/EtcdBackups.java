package dev.lifeboat.etcd;

import java.util.LinkedHashMap;
import java.util.Map;

/** How an etcd snapshot appears in the catalogue. */
final class EtcdBackups {

  private EtcdBackups() {}

  static Map<String, Object> source(SnapshotMetadata metadata) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("endpoints", metadata.endpoints());
    source.put("clusterId", metadata.clusterId());
    source.put("etcdVersion", metadata.etcdVersion());
    source.put("revision", metadata.revision());
    source.put("keyCount", metadata.keyCount());
    source.put("memberCount", metadata.members() == null ? 0 : metadata.members().size());
    return source;
  }
}
