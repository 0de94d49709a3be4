package dev.lifeboat.credentials;

import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** Resolves a {@code credentialRef} to the configured credential; reads secret files on demand. */
@Component
public class Credentials {

  private final CredentialsProperties properties;

  public Credentials(CredentialsProperties properties) {
    this.properties = properties;
  }

  public boolean exists(String ref) {
    return properties.credentials().containsKey(ref);
  }

  public List<String> names() {
    return List.copyOf(new TreeSet<>(properties.credentials().keySet()));
  }

  /** The configured entries that have what {@code kind} needs, sorted. */
  public List<String> names(CredentialKind kind) {
    return names().stream().filter(name -> kind.gaps(properties.credentials().get(name)).isEmpty()).toList();
  }

  /**
   * Why {@code ref} cannot serve as {@code kind} credentials, naming the fields to configure (never
   * their values); empty when it can.
   */
  public Optional<String> problem(String ref, CredentialKind kind) {
    Credential credential = properties.credentials().get(ref);
    if (credential == null) {
      return Optional.of(new UnknownCredentialException(ref, names()).getMessage());
    }
    List<String> gaps = kind.gaps(credential);
    if (gaps.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("credentials '" + ref + "' are not " + kind.id() + " credentials: " + String.join(", ", gaps)
        + " (configure " + kind.needs() + " under lifeboat.credentials." + ref + ")");
  }

  public Credential resolve(String ref) {
    Credential credential = properties.credentials().get(ref);
    if (credential == null) {
      throw new UnknownCredentialException(ref, names());
    }
    return credential;
  }

  /** Reads a secret file (password, secret key); the content is returned, never logged. */
  public static String readSecret(String ref, String what, Path file) {
    if (file == null) {
      throw new IllegalStateException("credentials '" + ref + "' have no " + what + " configured");
    }
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the " + what + " of credentials '" + ref + "' from " + file + ": " + e.getMessage(), e);
    }
  }
}
