package dev.lifeboat.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialKindTest {

  private static final Path KEY = Path.of("/srv/secret-dir/id_ed25519");
  private static final Path PASSWORD = Path.of("/srv/secret-dir/password");
  private static final Path CA = Path.of("/srv/secret-dir/ca.crt");
  private static final Path CERT = Path.of("/srv/secret-dir/client.crt");
  private static final Path CERT_KEY = Path.of("/srv/secret-dir/client.key");

  private final Credentials credentials = new Credentials(new CredentialsProperties(configured()));

  private static Map<String, Credential> configured() {
    Map<String, Credential> c = new LinkedHashMap<>();
    c.put("host", new Credential("someone", KEY, null, null, null, null));
    c.put("host-without-key", new Credential("someone", null, null, null, null, null));
    c.put("etcd-ca-only", new Credential(null, null, null, CA, null, null));
    c.put("etcd-mtls", new Credential(null, null, null, CA, CERT, CERT_KEY));
    c.put("etcd-cert-without-key", new Credential(null, null, null, CA, CERT, null));
    c.put("etcd-user", new Credential("root", null, PASSWORD, null, null, null));
    c.put("empty", new Credential(null, null, null, null, null, null));
    return c;
  }

  @Test
  void eachKindNamesWhatItNeeds() {
    assertThat(CredentialKind.of("ssh")).isEqualTo(CredentialKind.SSH);
    assertThat(CredentialKind.of("etcd-client")).isEqualTo(CredentialKind.ETCD_CLIENT);
    assertThat(CredentialKind.of("s3")).isEqualTo(CredentialKind.S3);
    assertThatThrownBy(() -> CredentialKind.of("SSH")).hasMessageContaining("known: ssh, etcd-client, s3");
  }

  @Test
  void onlyEntriesWithWhatTheKindNeedsAreOffered() {
    assertThat(credentials.names(CredentialKind.SSH)).containsExactly("host");
    assertThat(credentials.names(CredentialKind.ETCD_CLIENT)).containsExactly("etcd-ca-only", "etcd-mtls", "etcd-user");
    assertThat(credentials.names(CredentialKind.S3)).containsExactly("etcd-user"); // user + password-file fits S3
  }

  @Test
  void aProblemNamesTheFieldsToConfigureAndNeverTheirValues() {
    assertThat(credentials.problem("host", CredentialKind.SSH)).isEmpty();
    assertThat(credentials.problem("host-without-key", CredentialKind.SSH)).hasValue(
        "credentials 'host-without-key' are not ssh credentials: private-key-file is missing"
            + " (configure username and private-key-file under lifeboat.credentials.host-without-key)");
    assertThat(credentials.problem("etcd-cert-without-key", CredentialKind.ETCD_CLIENT)).hasValueSatisfying(p ->
        assertThat(p).contains("key-file is missing (cert-file is set)", "lifeboat.credentials.etcd-cert-without-key"));
    assertThat(credentials.problem("host", CredentialKind.ETCD_CLIENT)).hasValueSatisfying(p ->
        assertThat(p).contains("password-file is missing (username is set)"));
    assertThat(credentials.problem("empty", CredentialKind.ETCD_CLIENT)).hasValueSatisfying(p ->
        assertThat(p).contains("none of ca-file, cert-file, key-file, username, password-file is set",
            "configure ca-file, cert-file and key-file (TLS) and/or username and password-file"));
    assertThat(credentials.problem("etcd-mtls", CredentialKind.S3)).hasValueSatisfying(p ->
        assertThat(p).contains("username and password-file are missing"));
    assertThat(credentials.problem("nope", CredentialKind.S3)).hasValueSatisfying(p ->
        assertThat(p).contains("no credentials named 'nope'", "add lifeboat.credentials.nope"));

    for (String name : configured().keySet()) {
      for (CredentialKind kind : CredentialKind.values()) {
        credentials.problem(name, kind).ifPresent(p ->
            assertThat(p).as(name + " as " + kind).doesNotContain("secret-dir", "someone", "root"));
      }
    }
  }
}
