package dev.lifeboat.remote.internal;

import dev.lifeboat.remote.HostAddress;
import dev.lifeboat.remote.HostKeyRejectedException;
import dev.lifeboat.remote.RemoteException;
import dev.lifeboat.remote.SshProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/** Builds authenticated SSHJ connections. Host keys are always verified; there is no way around it. */
public final class SshConnector {

  private static final DefaultConfig CONFIG = config();

  private final SshProperties properties;

  public SshConnector(SshProperties properties) {
    this.properties = properties;
  }

  public SshHostSession connect(HostAddress address, String username, Path privateKey, String credentialRef) {
    Path knownHosts = properties.knownHostsFile();
    if (knownHosts == null || !Files.isReadable(knownHosts)) {
      throw new RemoteException("no readable known-hosts file (lifeboat.ssh.known-hosts-file is "
          + (knownHosts == null ? "not set" : knownHosts + ", which cannot be read")
          + "): Lifeboat reaches hosts only after verifying their keys");
    }
    String where = username + "@" + address;
    SSHClient client = new SSHClient(CONFIG);
    boolean connected = false;
    try {
      KnownHostsVerifier verifier = new KnownHostsVerifier(knownHosts.toFile());
      client.addHostKeyVerifier(verifier);
      client.setConnectTimeout((int) properties.connectTimeout().toMillis());
      client.getConnection().getKeepAlive().setKeepAliveInterval(15);
      try {
        client.connect(address.host(), address.port());
        // Every command is a few small request/reply packets: without this, Nagle's algorithm meeting
        // the host's delayed acknowledgements made opening each command's channel take 40 ms.
        client.getSocket().setTcpNoDelay(true);
      } catch (TransportException e) {
        if (verifier.refusal() != null) {
          throw new HostKeyRejectedException("refused to connect to " + address + ": its host key "
              + verifier.refusal());
        }
        throw e;
      }
      try {
        client.authPublickey(username, client.loadKeys(privateKey.toString()));
      } catch (UserAuthException e) {
        throw new RemoteException(address + " did not accept the key of credentials '" + credentialRef + "' ("
            + privateKey + ") for user " + username + ": add its public key to ~" + username
            + "/.ssh/authorized_keys on the host, or name other credentials", e);
      }
      connected = true;
      return new SshHostSession(client, where, properties);
    } catch (IOException e) {
      throw new RemoteException("cannot reach " + address + " over SSH within " + properties.connectTimeout()
          + ": " + describe(e) + " (check the host and port, and that sshd runs there)", e);
    } finally {
      if (!connected) {
        try {
          client.close();
        } catch (IOException ignored) {
          // nothing more to release
        }
      }
    }
  }

  /** SSHJ's defaults, its chacha20-poly1305 (the first choice) replaced by one on the JDK's faster ChaCha20. */
  static DefaultConfig config() {
    DefaultConfig config = new DefaultConfig();
    config.setCipherFactories(config.getCipherFactories().stream()
        .map(factory -> factory.getName().equals(ChaCha20Poly1305Cipher.NAME) ? ChaCha20Poly1305Cipher.FACTORY : factory)
        .toList());
    return config;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
