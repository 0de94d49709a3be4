package dev.lifeboat.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties;
import dev.lifeboat.runbook.RunFinished;
import dev.lifeboat.runbook.RunStatus;
import dev.lifeboat.testsupport.SshdProcess;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SSH and local sessions against a real OpenSSH sshd on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteHostsIT {

  Path temp;
  SshdProcess sshd;
  SshdProcess other;

  @BeforeAll
  void start(@TempDir Path temp) {
    this.temp = temp;
    sshd = SshdProcess.start(temp.resolve("sshd"));
    other = SshdProcess.start(temp.resolve("other"));
  }

  @AfterAll
  void stop() {
    sshd.close();
    other.close();
  }

  private RemoteHosts hosts(String... knownHosts) throws Exception {
    Path file = temp.resolve("known_hosts-" + System.nanoTime());
    Files.writeString(file, String.join("\n", knownHosts) + "\n");
    var credential = new CredentialsProperties.Credential(System.getProperty("user.name"), sshd.clientKey(), null,
        null, null, null);
    var wrongKey = new CredentialsProperties.Credential(System.getProperty("user.name"), other.clientKey(), null,
        null, null, null);
    var credentials = new Credentials(new CredentialsProperties(Map.of("host", credential, "wrong-key", wrongKey)));
    return new RemoteHosts(new SshProperties(file, Duration.ofSeconds(3), Duration.ofSeconds(30), 4096,
        Duration.ofMinutes(2)), credentials);
  }

  @Test
  void theStepsOfARunShareOneConnectionClosedWhenTheRunEnds() throws Exception {
    RemoteHosts hosts = hosts(sshd.knownHostsLine());
    try {
      for (int step = 0; step < 4; step++) {
        try (HostSession session = hosts.forRun("run-1", sshd.host(), "host")) {
          assertThat(session.run(Command.of("true")).succeeded()).isTrue();
        }
      }
      try (HostSession other = hosts.forRun("run-2", sshd.host(), "host")) {
        assertThat(other.run(Command.of("true")).succeeded()).isTrue();
      }
      assertThat(hosts.connectionsOpened()).isEqualTo(2);
      assertThat(hosts.runConnectionsOpen()).isEqualTo(2);
      int ports = sshd.acceptedConnections().size();
      int runOnePort = sshd.acceptedConnections().get(ports - 2);

      hosts.on(new RunFinished("run-1", "etcd-restore", RunStatus.COMPLETED, null));
      assertThat(hosts.runConnectionsOpen()).isEqualTo(1);
      Instant deadline = Instant.now().plusSeconds(10);
      while (!sshd.connectionEnded(runOnePort) && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      assertThat(sshd.connectionEnded(runOnePort)).as("sshd saw run-1's connection end").isTrue();
      try (HostSession session = hosts.forRun("run-2", sshd.host(), "host")) {
        assertThat(session.run(Command.of("true")).succeeded()).isTrue();
      }
      assertThat(hosts.connectionsOpened()).isEqualTo(2);
    } finally {
      hosts.closeRunConnections();
    }
    assertThat(hosts.runConnectionsOpen()).isZero();
  }

  @Test
  void aParameterWithShellSyntaxStaysOneArgument() throws Exception {
    Path marker = temp.resolve("pwned");
    String hostile = "x; touch " + marker + " $(touch " + marker + ") `touch " + marker + "` 'quoted'";
    for (HostSession session : List.of(hosts(sshd.knownHostsLine()).connect(sshd.host(), "host"),
        hosts().local())) {
      try (session) {
        CommandResult result = session.run(Command.of("printf", "%s", hostile));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).as(session.where()).isEqualTo(hostile);
      }
    }
    assertThat(marker).doesNotExist();
  }

  @Test
  void exitStatusOutputCapTimeoutAndMaskedSecrets() throws Exception {
    try (HostSession session = hosts(sshd.knownHostsLine()).connect(sshd.host(), "host")) {
      CommandResult failed = session.run(Command.of("sh", "-c", "echo oops >&2; exit 7"));
      assertThat(failed.exitStatus()).isEqualTo(7);
      assertThat(failed.stderr().strip()).isEqualTo("oops");
      assertThatThrownBy(() -> failed.orThrow(session.where())).hasMessageContaining("exited with status 7")
          .hasMessageContaining("oops");

      CommandResult big = session.run(Command.of("head", "-c", "100000", "/dev/zero"));
      assertThat(big.stdout()).hasSize(4096);
      assertThat(big.truncated()).isTrue();

      List<String> lines = new ArrayList<>();
      Command withSecret = Command.of("sh", "-c", "echo token is $0").withSecret("s3cr3t-value");
      CommandResult masked = session.run(withSecret, Duration.ofSeconds(10), lines::add);
      assertThat(masked.stdout()).contains("token is ****").doesNotContain("s3cr3t-value");
      assertThat(lines).containsExactly("token is ****");
      assertThat(masked.command()).doesNotContain("s3cr3t-value");

      long started = System.nanoTime();
      assertThatThrownBy(() -> session.run(Command.of("sleep", "30"), Duration.ofSeconds(1), OutputListener.NONE))
          .hasMessageContaining("did not finish within PT1S");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
    try (HostSession local = hosts().local()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> local.run(Command.of("sleep", "30"), Duration.ofSeconds(1), OutputListener.NONE))
          .hasMessageContaining("did not finish within PT1S");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void uploadIsHashedOnTheFarSide() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(content);
    Path target = temp.resolve("uploads/deep/file.bin");
    try (HostSession session = hosts(sshd.knownHostsLine()).connect(sshd.host(), "host")) {
      List<Long> progress = new ArrayList<>();
      session.upload(new ByteArrayInputStream(content), content.length, target.toString(), progress::add);
      assertThat(session.sha256(target.toString())).isEqualTo(Sha256.of(new ByteArrayInputStream(content)));
      assertThat(progress).isNotEmpty().last().isEqualTo((long) content.length);
      assertThatThrownBy(() -> session.upload(new ByteArrayInputStream(content), content.length + 10L,
          target.toString(), bytes -> {})).hasMessageContaining("ended after");
    }
  }

  @Test
  void unknownAndChangedHostKeysAreRefusedWithTheOfferedFingerprint() throws Exception {
    assertThatThrownBy(() -> hosts().connect(sshd.host(), "host"))
        .isInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining("is not in")
        .hasMessageContaining(sshd.hostKeyFingerprint());
    String otherKeyUnderThisName = other.knownHostsLine().replace(String.valueOf(other.port()),
        String.valueOf(sshd.port()));
    assertThatThrownBy(() -> hosts(otherKeyUnderThisName).connect(sshd.host(), "host"))
        .isInstanceOf(HostKeyRejectedException.class)
        .hasMessageContaining("differs from the key listed")
        .hasMessageContaining(sshd.hostKeyFingerprint());
  }

  @Test
  void wrongKeyWrongPortAndUnknownCredentialsSayWhatToFix() throws Exception {
    RemoteHosts hosts = hosts(sshd.knownHostsLine());
    assertThatThrownBy(() -> hosts.connect(sshd.host(), "wrong-key"))
        .hasMessageContaining("did not accept the key of credentials 'wrong-key'");
    assertThatThrownBy(() -> hosts.connect("127.0.0.1:1", "host"))
        .hasMessageContaining("cannot reach 127.0.0.1:1");
    assertThatThrownBy(() -> hosts.connect(sshd.host(), "nobody"))
        .hasMessageContaining("nobody");
  }
}
