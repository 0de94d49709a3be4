package dev.lifeboat.etcd;

import java.util.Map;

/** The etcd-snapshot suite on the default database: an H2 file under the data directory. */
class EtcdSnapshotIT extends EtcdSnapshotSuite {

  @Override
  Map<String, String> databaseProperties() {
    return Map.of();
  }
}
