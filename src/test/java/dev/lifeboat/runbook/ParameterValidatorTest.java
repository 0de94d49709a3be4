package dev.lifeboat.runbook;

import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterValidatorTest {

  private final Runbook runbook = new Runbook("demo", "Demo", "", List.of(
      required("endpoints", ParameterType.ENDPOINTS, "client URLs"),
      optional("skipBackup", ParameterType.BOOLEAN, "false", "skip"),
      optional("approvalTimeout", ParameterType.DURATION, "PT24H", "timeout"),
      optional("credentialRef", ParameterType.CREDENTIAL_REF, null, "creds"),
      optional("dataDir", ParameterType.PATH, "/var/lib/etcd", "dir")), List.of());

  /** One configured credential, "prod"; no backup-id parameters here, so no catalogue. */
  private final ParameterValidator validator = new ParameterValidator(
      new Credentials(new CredentialsProperties(Map.of("prod",
          new CredentialsProperties.Credential("u", null, null, null, null, null)))), null);

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
}
