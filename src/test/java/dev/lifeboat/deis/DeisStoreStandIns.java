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
 * test PostgreSQL; the switch {@code state/fail-dump} makes it fail after printing part of a dump,
 * {@code state/hold-dump} makes it wait while the file is there.
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

  /** Keys the store gateway writes to etcd when it boots (deisctl start store-gateway), as store/gateway/bin/boot does. */
  void gatewayKeysOnBoot(String accessKey, String secretKey) {
    write(state.resolve("gateway-keys/accessKey"), accessKey);
    write(state.resolve("gateway-keys/secretKey"), secretKey);
  }

  /** A component whose units "start" (deisctl exits 0) but end failed, with deisctl's red message on stderr. */
  void broken(String component) {
    write(state.resolve("broken").resolve(component), "1");
  }

  /** Lines the controller's manage.py shell prints for the apps ({@code app <id> <structure>}). */
  void apps(String lines) {
    write(state.resolve("apps"), lines);
  }

  String etcdValue(String target, String key) {
    try {
      return Files.readString(state.resolve("etcd").resolve(target).resolve(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the controller was asked to run (docker exec deis-controller sh -c ...), or null. */
  String controllerScript() {
    try {
      Path file = state.resolve("controller-script");
      return Files.exists(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean installed() {
    return Files.isDirectory(state.resolve("units"));
  }

  void container(String name) {
    write(state.resolve("containers").resolve(name), "running");
  }

  void failDump(boolean fail) {
    flag("fail-dump", fail);
  }

  /** While held, {@code pg_dumpall} waits before it starts (a backup stays in progress after copying the buckets). */
  void holdDump(boolean hold) {
    flag("hold-dump", hold);
  }

  /** A switch the stand-ins read: a file in their state directory that exists while it is on. */
  private void flag(String name, boolean on) {
    Path file = state.resolve(name);
    try {
      if (on) {
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
      UNITS="deis-store-daemon.service deis-store-monitor.service deis-store-metadata.service deis-store-volume.service deis-store-gateway@1.service deis-logger.service deis-logspout.service deis-database.service deis-registry@1.service deis-controller.service deis-builder.service deis-publisher.service deis-router@1.service deis-router@2.service deis-router@3.service"
      banner() {
        printf '\033[31m● \033[34m▴ \033[32m■\033[0m\n\033[32m■ \033[31m● \033[34m▴\033[0m %s\n\033[34m▴ \033[32m■ \033[31m●\033[0m\n' "$1"
      }
      progress() { # unit, state, line end: padded to 80 bytes like deisctl
        line=$(printf '\033[0;33m%s:\033[0m %s' "$1" "$2")
        while [ ${#line} -lt 80 ]; do line="$line "; done
        printf '%s%b' "$line" "$3"
      }
      matching() { # the installed units a target names
        for u in $UNITS; do
          [ -f "$STATE/units/$u" ] || continue
          case "$1" in
            platform) echo "$u" ;;
            *@*) [ "$u" = "deis-$1.service" ] && echo "$u" ;;
            *) case "$u" in "deis-$1.service"|"deis-$1@"*) echo "$u" ;; esac ;;
          esac
        done
      }
      component() { local c=${1#deis-}; c=${c%.service}; echo "${c%@*}"; }
      case "$1" in
        install)
          if [ ! -f "$STATE/etcd/platform/domain" ]; then
            printf 'Error: Missing platform domain, use:\ndeisctl config platform set domain=<your-domain>\n'
            exit 1
          fi
          banner "Installing Deis..."
          mkdir -p "$STATE/units"
          for section in "Storage subsystem..." "Logging subsystem..." "Control plane..." "Data plane..." "Router mesh..."; do
            echo "$section"
          done
          for u in $UNITS; do
            [ -f "$STATE/units/$u" ] || echo "loaded inactive dead -" > "$STATE/units/$u"
            printf '\033[0;33m%s:\033[0m loaded\n' "$u"
          done
          echo "Done."
          echo
          echo 'Please run `deisctl start platform` to boot up Deis.'
          exit 0 ;;
        start)
          [ "$2" = platform ] && banner "Starting Deis..."
          units=$(matching "$2")
          if [ -z "$units" ]; then
            echo "Could not find unit: $2" >&2
            exit 0
          fi
          for u in $units; do
            if [ -f "$STATE/broken/$(component "$u")" ]; then
              progress "$u" "activating/start-pre" '\r'
              echo "loaded failed failed a1b2c3d4.../127.0.0.1" > "$STATE/units/$u"
              printf "\033[0;31mThe service '%s' failed while starting.\033[0m\n" "$u" >&2
              continue
            fi
            progress "$u" "activating/start-pre" '\r'
            progress "$u" "active/running" '\n'
            echo "loaded active running a1b2c3d4.../127.0.0.1" > "$STATE/units/$u"
            case "$u" in
              deis-store-gateway@*)
                if [ -d "$STATE/gateway-keys" ]; then
                  mkdir -p "$STATE/etcd/store/gateway"
                  cp "$STATE/gateway-keys/accessKey" "$STATE/gateway-keys/secretKey" "$STATE/etcd/store/gateway/"
                fi ;;
              deis-controller.service) echo running > "$STATE/containers/deis-controller" ;;
              deis-database.service) echo running > "$STATE/containers/deis-database" ;;
            esac
          done
          if [ "$2" = platform ]; then
            echo "Done."
            echo " "
            echo "Please set up an administrative account. See 'deis help register'"
          fi
          exit 0 ;;
        list)
          {
            printf 'UNIT\tMACHINE\tLOAD\tACTIVE\tSUB\n'
            for u in $UNITS; do
              [ -f "$STATE/units/$u" ] || continue
              read -r load active sub machine < "$STATE/units/$u"
              printf '%s\t%s\t%s\t%s\t%s\n' "$u" "$machine" "$load" "$active" "$sub"
            done
          } | awk -F'\t' '
            { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) + 1 > w[i]) w[i] = length($i) + 1 } n[NR] = NF }
            END {
              for (r = 1; r <= NR; r++) {
                line = ""
                for (i = 1; i <= n[r]; i++) {
                  line = line cell[r, i]
                  if (i < n[r]) { width = int((w[i] + 7) / 8) * 8; for (t = length(cell[r, i]); t < width; t += 8 - t % 8) line = line "\t" }
                }
                print line
              }
            }'
          exit 0 ;;
      esac
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
        if [ "$container" = deis-controller ] && [ "$1" = sh ] && [ "$2" = -c ]; then
          printf '%s' "$3" > "$STATE/controller-script"
          case "$3" in *"manage.py shell"*) cat "$STATE/apps" 2>/dev/null ;; esac
          exit 0
        fi
        if [ "$*" = "sudo -u postgres pg_dumpall" ]; then
          while [ -f "$STATE/hold-dump" ]; do sleep 0.2; done
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
