package dev.lifeboat.remote;

/** The host offered a key that known_hosts does not list, or a different key than it lists. */
public class HostKeyRejectedException extends RemoteException {

  public HostKeyRejectedException(String message) {
    super(message);
  }
}
