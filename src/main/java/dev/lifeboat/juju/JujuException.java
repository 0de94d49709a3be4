package dev.lifeboat.juju;

/** Juju refused or failed: its {@code ERROR} lines or exit status, with the command and host. */
class JujuException extends RuntimeException {
  JujuException(String message) {
    super(message);
  }
}
