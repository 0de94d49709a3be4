package dev.lifeboat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * Servers shared by every test class in the JVM (Surefire runs them all in one), started on first
 * use and stopped when the JVM exits: one sshd and one Lifeboat that reaches it with the
 * credentials {@value #SSH_REF}. A test class that needs its own configuration, or restarts
 * Lifeboat, starts its own; the rest share these, which keeps the suite's wall time down. Tests
 * on the shared Lifeboat only assert on what they started (their run ids, their backups).
 */
public final class Shared {

  /** The credentials name of the shared sshd in the shared Lifeboat's configuration. */
  public static final String SSH_REF = "test-host";

  private static Path dir;
  private static SshdProcess sshd;
  private static LifeboatApp lifeboat;

  private Shared() {}

  public static synchronized SshdProcess sshd() {
    if (sshd == null) {
      sshd = SshdProcess.start(directory().resolve("sshd"));
    }
    return sshd;
  }

  public static synchronized LifeboatApp lifeboat() {
    if (lifeboat == null) {
      SshdProcess server = sshd();
      Map<String, String> properties = new HashMap<>(
          server.lifeboatProperties(SSH_REF, directory().resolve("known_hosts"), server.knownHostsLine()));
      lifeboat = LifeboatApp.start(directory().resolve("lifeboat"), properties);
    }
    return lifeboat;
  }

  /** A fresh directory for one test's own files, below the shared one. */
  public static synchronized Path newDirectory(String name) {
    try {
      return Files.createTempDirectory(directory(), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("lifeboat-shared-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(Shared::stopAll, "shared-test-servers-stop"));
    }
    return dir;
  }

  private static synchronized void stopAll() {
    try {
      Servers.closeAll(lifeboat, sshd);
    } finally {
      FileSystemUtils.deleteRecursively(dir.toFile());
    }
  }
}
