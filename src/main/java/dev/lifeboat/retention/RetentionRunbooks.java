package dev.lifeboat.retention;

import static dev.lifeboat.runbook.RunbookParameter.optional;

import dev.lifeboat.runbook.ParameterType;
import dev.lifeboat.runbook.Runbook;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RetentionRunbooks {

  @Bean
  Runbook backupPruneRunbook() {
    return new Runbook(
        "backup-prune",
        "Prune backups",
        "Apply retention (procedure 002: dailies of 7 days, weeklies of 4 weeks, monthlies of 3 months, the latest"
            + " on-demand backup; or the policy of the source's schedule): first the preview of what is kept and why,"
            + " then the removal of the rest, each an audit event naming its rule. The newest backup of a source, the"
            + " newest proven one and backups a waiting or running run uses are never removed.",
        List.of(
            optional("kind", ParameterType.STRING, null, "Only sources of this backup kind; empty for every kind"),
            optional("source", ParameterType.STRING, null, "Only this source (e.g. a cluster id); empty for every source"),
            optional("dryRun", ParameterType.BOOLEAN, "false", "Only show what would be removed")),
        List.of("prunePlan", "kept", "removed"));
  }
}
