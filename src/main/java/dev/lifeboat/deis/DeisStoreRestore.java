package dev.lifeboat.deis;

import java.util.List;

/** Variables of a deis-store-restore run, as the Deis store's part of the restore skeleton reads them. */
record DeisStoreRestore(String runId, String initiator, String backupId, String host, String credentialRef,
    String gatewayEndpoint, String gatewayCredentialRef, String deisctlCommand, String dockerCommand,
    String storeVolumePath, String routerBodySize, Boolean rescaleApps, String reason) {

  /** The store components in the document's order; each is started alone and confirmed running. */
  static final List<String> STORE_COMPONENTS =
      List.of("store-monitor", "store-daemon", "store-metadata", "store-gateway", "store-volume");

  String deisctl() {
    return DeisStoreBackupService.orDefault(deisctlCommand, "deisctl");
  }

  String docker() {
    return DeisStoreBackupService.orDefault(dockerCommand, "docker");
  }

  String bodySize() {
    return DeisStoreBackupService.orDefault(routerBodySize, "100m");
  }

  boolean rescales() {
    return Boolean.TRUE.equals(rescaleApps);
  }
}
