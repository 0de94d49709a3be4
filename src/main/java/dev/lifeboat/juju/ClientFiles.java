package dev.lifeboat.juju;

import dev.lifeboat.remote.Command;
import dev.lifeboat.remote.CommandResult;
import dev.lifeboat.remote.HostSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files of a Juju client directory by path relative to it: size, mode and sha256, read from a
 * client backup's tar.gz or from the directory on its host, so the two can be compared.
 */
record ClientFiles(Map<String, FileFacts> files) {

  record FileFacts(long size, int mode, String sha256) {}

  /** The archive's regular files, its top directory (the client dir's name) stripped. */
  static ClientFiles ofArchive(InputStream tarGz) throws IOException {
    Map<String, FileFacts> files = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(tarGz))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (!entry.isFile()) {
          continue;
        }
        String name = dev.lifeboat.archive.ArchivePaths.checkedEntryName(entry.getName());
        int slash = name.indexOf('/');
        MessageDigest sha = sha256();
        long size = tar.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
        files.put(slash < 0 ? name : name.substring(slash + 1),
            new FileFacts(size, entry.getMode() & 07777, HexFormat.of().formatHex(sha.digest())));
      }
    }
    return new ClientFiles(files);
  }

  /** What the directory on the host holds now (empty if it does not exist). */
  static ClientFiles onHost(HostSession host, String dir, boolean sudo) {
    String script = "cd " + Command.quote(dir) + " 2>/dev/null || exit 0; "
        + "find . -type f -printf '%s %m ' -exec sha256sum {} \\;";
    Command command = sudo ? Command.of("sudo", "-n", "--", "sh", "-c", script) : Command.shell(script);
    CommandResult result = host.run(command).orThrow(host.where());
    Map<String, FileFacts> files = new TreeMap<>();
    for (String line : result.stdout().lines().toList()) {
      String[] parts = line.split(" ", 4);
      if (parts.length < 4 || !parts[3].startsWith(" ./")) {
        continue;
      }
      files.put(parts[3].substring(3), new FileFacts(Long.parseLong(parts[0]), Integer.parseInt(parts[1], 8), parts[2]));
    }
    return new ClientFiles(files);
  }

  /** Paths of the archive that the directory holds with other content. */
  List<String> overwrittenBy(ClientFiles archive) {
    List<String> paths = new ArrayList<>();
    archive.files.forEach((path, facts) -> {
      FileFacts now = files.get(path);
      if (now != null && !now.sha256().equals(facts.sha256())) {
        paths.add(path);
      }
    });
    return paths;
  }

  List<String> addedBy(ClientFiles archive) {
    return archive.files.keySet().stream().filter(path -> !files.containsKey(path)).toList();
  }

  List<String> unchangedBy(ClientFiles archive) {
    return archive.files.keySet().stream()
        .filter(path -> files.containsKey(path) && files.get(path).sha256().equals(archive.files.get(path).sha256()))
        .toList();
  }

  /** Files the archive does not hold: extraction leaves them as they are. */
  List<String> leftAloneBy(ClientFiles archive) {
    return files.keySet().stream().filter(path -> !archive.files.containsKey(path)).toList();
  }

  /** Every archive file whose size, sha256 or mode differs here, with how. */
  List<String> differencesFrom(ClientFiles archive) {
    List<String> differences = new ArrayList<>();
    archive.files.forEach((path, expected) -> {
      FileFacts actual = files.get(path);
      if (actual == null) {
        differences.add(path + " is missing");
      } else if (actual.size() != expected.size() || !actual.sha256().equals(expected.sha256())) {
        differences.add(path + " has " + actual.size() + " bytes, sha256 " + actual.sha256() + "; the archive has "
            + expected.size() + " bytes, sha256 " + expected.sha256());
      } else if (actual.mode() != expected.mode()) {
        differences.add(path + " has mode " + Integer.toOctalString(actual.mode()) + ", the archive "
            + Integer.toOctalString(expected.mode()));
      }
    });
    return differences;
  }

  /** One digest of every path, size, mode and sha256: equal exactly when the trees are. */
  String digest() {
    MessageDigest sha = sha256();
    files.forEach((path, f) -> sha.update((path + "\t" + f.size() + "\t" + f.mode() + "\t" + f.sha256() + "\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(sha.digest());
  }

  static List<String> capped(List<String> paths, int max) {
    if (paths.size() <= max) {
      return paths;
    }
    List<String> shown = new ArrayList<>(paths.subList(0, max));
    shown.add("... and " + (paths.size() - max) + " more");
    return shown;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
