package dev.lifeboat.remote;

import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import dev.lifeboat.remote.internal.LocalHostSession;
import dev.lifeboat.remote.internal.RunSessions;
import dev.lifeboat.remote.internal.SshConnector;
import dev.lifeboat.remote.internal.SshHostSession;
import dev.lifeboat.runbook.RunFinished;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Opens sessions to hosts: over SSH with the key of a {@code credentialRef} and the host key
 * checked against known_hosts, or on Lifeboat's own host. The steps of a run share one connection
 * per host ({@link #forRun}), closed when the run ends.
 */
@Service
public class RemoteHosts {

  private final SshProperties properties;
  private final Credentials credentials;
  private final SshConnector connector;
  private final RunSessions runSessions;
  private final AtomicLong connections = new AtomicLong();

  RemoteHosts(SshProperties properties, Credentials credentials) {
    this.properties = properties;
    this.credentials = credentials;
    this.connector = new SshConnector(properties);
    this.runSessions = new RunSessions(properties.runConnectionIdle(),
        session -> !(session instanceof SshHostSession ssh) || ssh.connected());
  }

  /** Connects and authenticates; every failure names the host and says what to fix. */
  public HostSession connect(String host, String credentialRef) {
    return open(host, credentialRef);
  }

  /**
   * The run's connection to the host: the first step of run {@code runId} that asks opens it, the
   * next ones reuse it (one SSH handshake per run and host, not one per step). Closing the
   * returned session only gives it back; the connection closes when the run ends, after {@code
   * lifeboat.ssh.run-connection-idle} unused, or when it dropped (the next step then opens a new
   * one). Without a run id this is {@link #connect}.
   */
  public HostSession forRun(String runId, String host, String credentialRef) {
    if (runId == null || runId.isBlank()) {
      return connect(host, credentialRef);
    }
    return runSessions.lease(new RunSessions.Key(runId, host, credentialRef), () -> open(host, credentialRef));
  }

  /** SSH connections opened since start-up (each is a handshake and an authentication). */
  public long connectionsOpened() {
    return connections.get();
  }

  /** Connections kept open for runs now. */
  public int runConnectionsOpen() {
    return runSessions.open();
  }

  @EventListener
  void on(RunFinished finished) {
    runSessions.endRun(finished.runId());
  }

  @PreDestroy
  void closeRunConnections() {
    runSessions.close();
  }

  private SshHostSession open(String host, String credentialRef) {
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
    SshHostSession session = connector.connect(address, credential.username(), credential.privateKeyFile(),
        credentialRef);
    connections.incrementAndGet();
    return session;
  }

  public HostSession local() {
    return new LocalHostSession(properties);
  }
}
