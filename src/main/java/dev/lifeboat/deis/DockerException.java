package dev.lifeboat.deis;

/** docker on a host refused or failed a command; the message carries what it printed. */
class DockerException extends RuntimeException {

  DockerException(String message) {
    super(message);
  }
}
