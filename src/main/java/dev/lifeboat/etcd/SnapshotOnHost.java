package dev.lifeboat.etcd;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import dev.lifeboat.remote.RemoteException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A snapshot written onto the target host for a restore: the host hashes it with its own {@code
 * sha256sum} while writing it (the one read of it there before the restore), and the file's
 * identity right after (device, inode, size, change time) stands for that hash from then on: a
 * file that was written to, replaced or truncated since has another identity, so the restore
 * compares identities instead of reading the whole file again.
 */
final class SnapshotOnHost {

  /** Marks a write that failed on the host: tee goes on feeding sha256sum when it cannot write the file. */
  private static final String WRITE_FAILED = "lifeboat: writing the snapshot failed";
  /** Identity of a file: device, inode, size, change time in nanoseconds; any write changes it. */
  private static final String IDENTITY_FORMAT = "%d:%i:%s:%z";

  private SnapshotOnHost() {}

  /**
   * A snapshot on the host at {@code path}, {@code size} bytes, hashed there to {@code sha256} while
   * it was written, for backup {@code backupId}; {@code identity} is the file's identity right after.
   */
  record Copy(String backupId, String host, String path, long size, String sha256, String identity) {}

  /** The upload directory of a restore of run {@code runId} onto a member whose data is {@code dataDir}. */
  static String uploadDir(String dataDir, String runId) {
    return EtcdRestoreTarget.parentOf(dataDir) + "/.lifeboat-restore-" + runId;
  }

  static String snapshotPath(String uploadDir) {
    return uploadDir + "/snapshot.db";
  }

  /**
   * The command that receives a snapshot on its standard input: it creates {@code dir} (mode 700, in
   * a directory that must exist), writes {@code path} and prints the sha256 of what it received,
   * then the file's identity.
   */
  static Command receive(String dir, String path) {
    return Command.of("sh", "-c", "umask 077 && { mkdir -m 700 -- \"$1\" 2>/dev/null || test -d \"$1\"; } && "
        + "{ tee -- \"$2\" || echo '" + WRITE_FAILED + "' >&2; } | sha256sum && stat -c '" + IDENTITY_FORMAT
        + "' -- \"$2\"", "sh", dir, path);
  }

  /**
   * Sends {@code content} ({@code size} bytes) to {@code path} on the host through {@link #receive};
   * the result holds the host's sha256 of what it wrote. A write that failed there is a {@link
   * RemoteException}; a damaged transfer shows as another sha256 or size.
   */
  static Copy send(HostSession host, InputStream content, String backupId, String dir, String path, Duration timeout) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CommandResult result = host.stream(receive(dir, path), content, printed, timeout);
    return parse(host, backupId, path, result, printed.toString(StandardCharsets.UTF_8));
  }

  static Copy parse(HostSession host, String backupId, String path, CommandResult result, String printed) {
    if (!result.succeeded() || result.stderr().contains(WRITE_FAILED)) {
      throw new RemoteException("writing " + path + " on " + host.where() + " failed: " + result.tail());
    }
    String[] lines = printed.strip().split("\n");
    String sha256 = lines[0].split(" ", 2)[0];
    if (lines.length != 2 || !sha256.matches("[0-9a-f]{64}")) {
      throw new RemoteException("receiving " + path + " on " + host.where() + " printed '" + printed.strip()
          + "', not a sha256 and the file's identity");
    }
    String identity = lines[1].strip();
    return new Copy(backupId, host.where(), path, size(identity), sha256, identity);
  }

  /** The file's identity now ({@link Copy#identity()}), or null if it does not exist. */
  static String identity(HostSession host, String path) {
    CommandResult result = host.run(Command.of("stat", "-c", IDENTITY_FORMAT, "--", path));
    return result.succeeded() ? result.stdout().strip() : null;
  }

  private static long size(String identity) {
    String[] parts = identity.split(":", 4);
    try {
      return Long.parseLong(parts[2]);
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
