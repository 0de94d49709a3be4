package dev.lifeboat.credentials;

import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
