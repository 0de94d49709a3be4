package dev.lifeboat.deis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Stand-in {@code deisctl} and {@code docker} for the Deis store tests, written as shell scripts
 * into a directory and reached through the real sshd by absolute path. They reproduce
 * ../shared/reference/deis-s3.md: deisctl prints its errors as {@code Error: ...} on stdout with
 * exit 1 ({@code Error: 100: Key not found (/deis/<target>/<key>) [<index>]} for a missing key),
 * {@code config <target> get} prints each value and a newline, an unknown command prints
 * deisctl's two lines; docker's missing container is {@code Error response from daemon: No such
 * container: <name>} on stderr, exit 1. State (etcd keys, containers) is files under {@code state/}.
 * {@code docker exec <c> sudo -u postgres pg_dumpall} runs Debian's real pg_dumpall against a
 * test PostgreSQL; the switch {@code state/fail-dump} makes it fail after printing part of a dump.
 */
final class DeisStoreStandIns {

  private final Path dir;
  private final Path state;

  private DeisStoreStandIns(Path dir) {
    this.dir = dir;
    this.state = dir.resolve("state");
  }

  /** Writes both scripts; {@code pgBin}/{@code pgPort} are the PostgreSQL that docker exec dumps (superuser lifeboat). */
  static DeisStoreStandIns create(Path dir, Path pgBin, int pgPort) {
    DeisStoreStandIns standIns = new DeisStoreStandIns(dir);
    try {
      Files.createDirectories(standIns.state.resolve("etcd"));
      Files.createDirectories(standIns.state.resolve("containers"));
      script(standIns.deisctl(), DEISCTL.replace("@STATE@", standIns.state.toString()));
      script(standIns.docker(), DOCKER.replace("@STATE@", standIns.state.toString())
          .replace("@PGBIN@", pgBin.toString()).replace("@PGPORT@", Integer.toString(pgPort)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return standIns;
  }

  Path deisctl() {
    return dir.resolve("deisctl");
  }

  Path docker() {
    return dir.resolve("docker");
  }

  /** An etcd key below /deis, as deisctl config sees it: {@code key("store", "gateway/accessKey", ...)}. */
  void key(String target, String key, String value) {
    write(state.resolve("etcd").resolve(target).resolve(key), value);
  }

  void container(String name) {
    write(state.resolve("containers").resolve(name), "running");
  }

  void failDump(boolean fail) {
    Path file = state.resolve("fail-dump");
    try {
      if (fail) {
        Files.writeString(file, "1");
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String value) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static final String DEISCTL = """
      #!/bin/bash
      # Stand-in deisctl (tests only): see DeisStoreStandIns.
      STATE=@STATE@
      unknown() {
        echo 'Found no matching command, try "deisctl help"'
        echo 'Usage: deisctl <command> [<args>...] [options]'
        exit 1
      }
      index() { cat "$STATE/index" 2>/dev/null || echo 7; }
      if [ "$1" = config ]; then
        target=$2; action=$3; shift 3
        case "$action" in
          get)
            out=""
            for key in "$@"; do
              f="$STATE/etcd/$target/$key"
              if [ ! -f "$f" ]; then
                echo "Error: 100: Key not found (/deis/$target/$key) [$(index)]"
                exit 1
              fi
              out+="$(cat "$f")"$'\\n'
            done
            printf '%s' "$out"
            exit 0 ;;
          set)
            for pair in "$@"; do
              if [[ ! "$pair" =~ ^(.+)=(.+)$ ]]; then
                printf "Error: '%s' does not match the pattern 'key=var', ex: foo=bar\\n\\n" "$pair"
                exit 1
              fi
              mkdir -p "$(dirname "$STATE/etcd/$target/${BASH_REMATCH[1]}")"
              printf '%s' "${BASH_REMATCH[2]}" > "$STATE/etcd/$target/${BASH_REMATCH[1]}"
              echo "${BASH_REMATCH[2]}"
            done
            exit 0 ;;
          *) unknown ;;
        esac
      fi
      unknown
      """;

  private static final String DOCKER = """
      #!/bin/bash
      # Stand-in docker (tests only): see DeisStoreStandIns.
      STATE=@STATE@
      if [ "$1" = exec ]; then
        container=$2; shift 2
        if [ ! -f "$STATE/containers/$container" ]; then
          echo "Error response from daemon: No such container: $container" >&2
          exit 1
        fi
        if [ "$*" = "sudo -u postgres pg_dumpall" ]; then
          if [ -f "$STATE/fail-dump" ]; then
            echo "--"
            echo "-- PostgreSQL database cluster dump"
            echo 'pg_dumpall: error: query failed: server closed the connection unexpectedly' >&2
            exit 1
          fi
          PGPASSWORD=lifeboat exec @PGBIN@/pg_dumpall -h 127.0.0.1 -p @PGPORT@ -U lifeboat -l lifeboat
        fi
        echo "OCI runtime exec failed: exec: \\"$1\\": executable file not found in \\$PATH: unknown" >&2
        exit 126
      fi
      echo "docker: '$1' is not a docker command." >&2
      echo "See 'docker --help'" >&2
      exit 1
      """;
}
