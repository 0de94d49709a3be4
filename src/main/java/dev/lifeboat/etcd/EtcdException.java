package dev.lifeboat.etcd;

/** etcd could not be reached or answered with an error; the message names the endpoint. */
public class EtcdException extends RuntimeException {
  public EtcdException(String message) {
    super(message);
  }

  public EtcdException(String message, Throwable cause) {
    super(message, cause);
  }
}
