package dev.lifeboat.etcd;

import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;

import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The etcd runbooks, from the etcd charm's snapshot/restore actions (procedure 000). */
@Configuration(proxyBeanMethods = false)
class EtcdRunbooks {

  @Bean
  Runbook etcdSnapshotRunbook() {
    return new Runbook(
        "etcd-snapshot",
        "etcd snapshot",
        "Snapshot a running etcd cluster through its Maintenance API into a verified, catalogued archive"
            + " (snapshot.db + metadata.json, tar.gz). Like the etcd charm's snapshot action, it returns the"
            + " archive's path, sha256 and size. Restore it with 'etcdctl snapshot restore' or the etcd-restore runbook.",
        List.of(
            required("endpoints", ParameterType.ENDPOINTS,
                "Client URLs of the cluster, comma-separated, e.g. https://10.0.0.5:2379,https://10.0.0.6:2379"),
            optional("credentialRef", ParameterType.CREDENTIAL_REF, null,
                "Name of the configured credentials (TLS client certificate or user/password) for etcd; empty for none"),
            optional("notes", ParameterType.STRING, null, "Why this backup was taken; kept in the catalogue")),
        List.of("backupId", "sha256", "size", "path"));
  }
}
