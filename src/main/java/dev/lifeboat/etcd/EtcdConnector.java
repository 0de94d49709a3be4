package dev.lifeboat.etcd;

import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import org.springframework.stereotype.Component;

/**
 * Opens jetcd clients for a run's endpoints, with TLS client certificates or user and password
 * taken from the run's {@code credentialRef}. The caller closes the client.
 */
@Component
class EtcdConnector {

  private final Credentials credentials;
  private final EtcdProperties properties;

  EtcdConnector(Credentials credentials, EtcdProperties properties) {
    this.credentials = credentials;
    this.properties = properties;
  }

  static List<String> endpoints(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  Client connect(List<String> endpoints, String credentialRef) {
    ClientBuilder builder = Client.builder()
        .endpoints(endpoints.toArray(String[]::new))
        .connectTimeout(properties.connectTimeout())
        .keepaliveTime(Duration.ofSeconds(30))
        .keepaliveTimeout(Duration.ofSeconds(10))
        .retryMaxDuration(properties.requestTimeout())
        .retryMaxAttempts(2)
        .maxInboundMessageSize(16 * 1024 * 1024);
    if (credentialRef != null && !credentialRef.isBlank()) {
      Credential credential = credentials.resolve(credentialRef);
      if (credential.certFile() != null || credential.caFile() != null) {
        try {
          builder.sslContext(ssl -> {
            if (credential.caFile() != null) {
              ssl.trustManager(credential.caFile().toFile());
            }
            if (credential.certFile() != null && credential.keyFile() != null) {
              ssl.keyManager(credential.certFile().toFile(), credential.keyFile().toFile());
            }
          });
        } catch (SSLException e) {
          throw new IllegalStateException("TLS settings of credentials '" + credentialRef + "' are unusable: "
              + e.getMessage(), e);
        }
      }
      if (credential.username() != null && credential.passwordFile() != null) {
        String password = Credentials.readSecret(credentialRef, "password-file", credential.passwordFile());
        builder.user(ByteSequence.from(credential.username(), StandardCharsets.UTF_8))
            .password(ByteSequence.from(password, StandardCharsets.UTF_8));
      }
    }
    return builder.build();
  }
}
