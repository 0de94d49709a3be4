package dev.lifeboat.credentials;

import java.util.List;

public class UnknownCredentialException extends RuntimeException {
  public UnknownCredentialException(String ref, List<String> configured) {
    super("no credentials named '" + ref + "' are configured (add lifeboat.credentials." + ref
        + "; configured: " + (configured.isEmpty() ? "none" : String.join(", ", configured)) + ")");
  }
}
