package dev.lifeboat.runbook;

import static dev.lifeboat.runbook.RunbookParameter.backup;
import static dev.lifeboat.runbook.RunbookParameter.credential;
import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.credentials.CredentialKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterValidatorTest {

  private final Runbook runbook = new Runbook("demo", "Demo", "", List.of(
      required("endpoints", ParameterType.ENDPOINTS, "client URLs"),
      optional("skipBackup", ParameterType.BOOLEAN, "false", "skip"),
      optional("approvalTimeout", ParameterType.DURATION, "PT24H", "timeout"),
      credential("credentialRef", CredentialKind.ETCD_CLIENT, false, "creds"),
      optional("dataDir", ParameterType.PATH, "/var/lib/etcd", "dir")), List.of());

  private final Runbook restore = new Runbook("restore", "Restore", "", List.of(
      backup("backupId", List.of("etcd-snapshot"), "the snapshot"),
      credential("credentialRef", CredentialKind.SSH, true, "SSH")), List.of());

  /** "prod" holds etcd TLS material, "host" an SSH key. */
  private final FakeLookups lookups = new FakeLookups(Map.of("prod", FakeLookups.etcdTls(), "host", FakeLookups.ssh()));
  private final ParameterValidator validator = new ParameterValidator(lookups);

  @Test
  void defaultsAreFilledAndValuesTyped() {
    Map<String, Object> values = validator.validate(runbook,
        Map.of("endpoints", " http://a:2379 , https://b:2379", "skipBackup", "yes"));
    assertThat(values).containsEntry("endpoints", "http://a:2379,https://b:2379")
        .containsEntry("skipBackup", true)
        .containsEntry("approvalTimeout", "PT24H")
        .containsEntry("dataDir", "/var/lib/etcd")
        .doesNotContainKey("credentialRef");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(() -> validator.validate(runbook, Map.of(
        "skipBackup", "maybe", "approvalTimeout", "tomorrow", "credentialRef", "nope", "dataDir", "relative/x",
        "extra", 1)))
        .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("missing required parameter 'endpoints'"))
            .anyMatch(p -> p.contains("'maybe' is not true or false"))
            .anyMatch(p -> p.contains("ISO-8601"))
            .anyMatch(p -> p.contains("no credentials named 'nope'") && p.contains("lifeboat.credentials.nope"))
            .anyMatch(p -> p.contains("not an absolute path"))
            .anyMatch(p -> p.contains("unknown parameter 'extra'")));
  }

  @Test
  void shellMetacharactersInUrlsAreRefused() {
    assertThatThrownBy(() -> validator.validate(runbook, Map.of("endpoints", "http://a:2379;rm -rf /")))
        .isInstanceOf(InvalidParametersException.class);
  }

  @Test
  void credentialsOfAnotherKindAreRefusedNamingTheFieldsToConfigure() {
    assertThat(validator.validate(runbook, Map.of("endpoints", "http://a:2379", "credentialRef", "prod")))
        .containsEntry("credentialRef", "prod");
    assertThatThrownBy(() -> validator.validate(runbook, Map.of("endpoints", "http://a:2379", "credentialRef", "host")))
        .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.problems()).singleElement()
            .asString()
            .startsWith("parameter 'credentialRef': credentials 'host' are not etcd-client credentials")
            .contains("password-file is missing (username is set)", "under lifeboat.credentials.host")
            .doesNotContain("ubuntu", "/etc/lifeboat"));
  }

  @Test
  void aBackupOfAnotherKindIsRefusedNamingTheKindsItTakes() {
    lookups.add("20261130-100000.abc", "etcd-snapshot", "abc", 2);
    lookups.add("20261130-110000.juju", "juju-controller-backup", "ctl", 1);
    assertThat(validator.validate(restore, Map.of("backupId", "20261130-100000.abc", "credentialRef", "host")))
        .containsEntry("backupId", "20261130-100000.abc");
    assertThatThrownBy(() -> validator.validate(restore,
        Map.of("backupId", "20261130-110000.juju", "credentialRef", "prod")))
        .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.problems())
            .contains("parameter 'backupId': backup 20261130-110000.juju is a juju-controller-backup;"
                + " this parameter takes etcd-snapshot")
            .anyMatch(p -> p.startsWith("parameter 'credentialRef': credentials 'prod' are not ssh credentials")
                && p.contains("username and private-key-file are missing")));
    assertThatThrownBy(() -> validator.validate(restore, Map.of("backupId", "nope", "credentialRef", "host")))
        .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.problems()).singleElement()
            .asString().contains("no backup 'nope' in the catalogue", "GET /api/backups?kind=etcd-snapshot"));
  }

  @Test
  void theFormAsksTheSameTypeCode() {
    lookups.add("20261130-100000.abc", "etcd-snapshot", "abc", 2);
    ParameterInput backups = validator.input(restore.parameter("backupId").orElseThrow());
    assertThat(backups.type()).isEqualTo("select");
    assertThat(backups.choices()).extracting(ParameterInput.Choice::value).containsExactly("", "20261130-100000.abc");
    assertThat(validator.input(runbook.parameter("endpoints").orElseThrow()).pattern()).isNotBlank();
  }
}
