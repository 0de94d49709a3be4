package dev.lifeboat.remote;

import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import dev.lifeboat.remote.internal.LocalHostSession;
import dev.lifeboat.remote.internal.SshConnector;
import org.springframework.stereotype.Service;

/**
 * Opens sessions to hosts: over SSH with the key of a {@code credentialRef} and the host key
 * checked against known_hosts, or on Lifeboat's own host.
 */
@Service
public class RemoteHosts {

  private final SshProperties properties;
  private final Credentials credentials;
  private final SshConnector connector;

  RemoteHosts(SshProperties properties, Credentials credentials) {
    this.properties = properties;
    this.credentials = credentials;
    this.connector = new SshConnector(properties);
  }

  /** Connects and authenticates; every failure names the host and says what to fix. */
  public HostSession connect(String host, String credentialRef) {
    HostAddress address;
    try {
      address = HostAddress.parse(host);
    } catch (IllegalArgumentException e) {
      throw new RemoteException(e.getMessage());
    }
    Credential credential = credentials.resolve(credentialRef);
    if (credential.username() == null || credential.privateKeyFile() == null) {
      throw new RemoteException("credentials '" + credentialRef + "' need username and private-key-file to reach "
          + address + " over SSH (lifeboat.credentials." + credentialRef + ".*)");
    }
    return connector.connect(address, credential.username(), credential.privateKeyFile(), credentialRef);
  }

  public HostSession local() {
    return new LocalHostSession(properties);
  }
}
