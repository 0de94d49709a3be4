package dev.lifeboat.credentials;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Named credentials that runs refer to by {@code credentialRef}. Secrets are files: the
 * configuration names where they are, never what they are.
 */
@Validated
@ConfigurationProperties("lifeboat")
public record CredentialsProperties(@DefaultValue Map<String, Credential> credentials) {

  /** Any combination that fits the target: SSH key, TLS client certificate, user and password. */
  public record Credential(
      String username,
      Path privateKeyFile,
      Path passwordFile,
      Path caFile,
      Path certFile,
      Path keyFile) {}
}
