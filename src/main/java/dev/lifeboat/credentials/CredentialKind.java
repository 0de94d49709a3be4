package dev.lifeboat.credentials;

import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a credential is for, and which fields of its {@code lifeboat.credentials.<name>} entry that
 * needs. Checks look at which fields are set, never at what they hold.
 */
public enum CredentialKind {

  /** Logging in to a host over SSH. */
  SSH("ssh", "username and private-key-file"),
  /** An etcd client: TLS (server CA, client certificate and key) and/or an etcd user. */
  ETCD_CLIENT("etcd-client", "ca-file, cert-file and key-file (TLS) and/or username and password-file"),
  /** An S3 (or compatible) object store: access key id and secret key. */
  S3("s3", "username (access key id) and password-file (secret key)");

  private final String id;
  private final String needs;

  CredentialKind(String id, String needs) {
    this.id = id;
    this.needs = needs;
  }

  /** The name runbooks, the API and the documentation use: {@code ssh}, {@code etcd-client}, {@code s3}. */
  public String id() {
    return id;
  }

  /** The fields an entry of this kind is configured with, in words. */
  public String needs() {
    return needs;
  }

  public static CredentialKind of(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no credential kind '" + id + "' (known: "
            + String.join(", ", Arrays.stream(values()).map(CredentialKind::id).toList()) + ")"));
  }

  /** What the entry lacks for this kind, e.g. "private-key-file is missing"; empty when it fits. */
  List<String> gaps(Credential credential) {
    return switch (this) {
      case SSH -> missing(List.of(
          new Field("username", credential.username()), new Field("private-key-file", credential.privateKeyFile())));
      case S3 -> missing(List.of(
          new Field("username", credential.username()), new Field("password-file", credential.passwordFile())));
      case ETCD_CLIENT -> etcdClientGaps(credential);
    };
  }

  private static List<String> etcdClientGaps(Credential c) {
    Field cert = new Field("cert-file", c.certFile());
    Field key = new Field("key-file", c.keyFile());
    Field username = new Field("username", c.username());
    Field password = new Field("password-file", c.passwordFile());
    if (c.caFile() == null && !cert.set() && !key.set() && !username.set() && !password.set()) {
      return List.of("none of ca-file, cert-file, key-file, username, password-file is set");
    }
    // A half-configured pair would be silently ignored when connecting: refuse it instead.
    List<String> gaps = new ArrayList<>();
    gaps.addAll(pair(cert, key));
    gaps.addAll(pair(username, password));
    return gaps;
  }

  private static List<String> pair(Field a, Field b) {
    if (a.set() == b.set()) {
      return List.of();
    }
    Field set = a.set() ? a : b;
    Field unset = a.set() ? b : a;
    return List.of(unset.name() + " is missing (" + set.name() + " is set)");
  }

  private static List<String> missing(List<Field> fields) {
    List<String> names = fields.stream().filter(f -> !f.set()).map(Field::name).toList();
    if (names.isEmpty()) {
      return List.of();
    }
    return List.of(String.join(" and ", names) + (names.size() == 1 ? " is" : " are") + " missing");
  }

  private record Field(String name, Object value) {
    boolean set() {
      return value != null && !String.valueOf(value).isBlank();
    }
  }
}
