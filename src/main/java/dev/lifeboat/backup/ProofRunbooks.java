package dev.lifeboat.backup;

import static dev.lifeboat.runbook.RunbookParameter.optional;

import dev.lifeboat.catalog.ArchiveInspector;
import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookParameter;
import java.util.List;
import java.util.TreeSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProofRunbooks {

  /** Every catalogued kind Lifeboat knows (those it can inspect or prove) can be proven. */
  @Bean
  Runbook backupVerifyRunbook(List<BackupProof> proofs, List<ArchiveInspector> inspectors) {
    TreeSet<String> kinds = new TreeSet<>();
    proofs.forEach(p -> kinds.add(p.kind()));
    inspectors.forEach(i -> kinds.add(i.kind()));
    return new Runbook(
        "backup-verify",
        "Prove a backup",
        "Prove that a backup restores: its stored archive has the catalogued sha256 and size and reads through, then"
            + " the real thing for its kind in a scratch place on Lifeboat's host (an etcd snapshot is restored with"
            + " its own tools into a temporary member on loopback, and its key count and revision compared). The"
            + " catalogue records verifiedAt and what was proven; a failed proof marks the backup and fails the run.",
        List.of(
            new RunbookParameter("backupId", ParameterType.BACKUP_ID, false, null,
                "The backup to prove; empty to prove the newest backup of kind and source", List.copyOf(kinds)),
            optional("kind", ParameterType.STRING, null, "With source, instead of backupId: the kind of backup"),
            optional("source", ParameterType.STRING, null, "With kind: the source whose newest backup is proven")),
        List.of("backupId", "verifiedAt", "proof"));
  }
}
