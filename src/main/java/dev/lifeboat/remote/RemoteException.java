package dev.lifeboat.remote;

/** Something went wrong reaching or using a host; the message says what and where. */
public class RemoteException extends RuntimeException {

  public RemoteException(String message) {
    super(message);
  }

  public RemoteException(String message, Throwable cause) {
    super(message, cause);
  }
}
