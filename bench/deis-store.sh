#!/usr/bin/env bash
# Benchmark of Lifeboat's deis-store-backup against procedure 003's `s3cmd sync`.
#
#   bash bench/deis-store.sh [--objects 1000] [--mib 200] [--runs 3] [--live-heap]
#
# It starts S3Proxy (from the test classpath, filesystem backend) as the store gateway with a
# bucket db_wal of OBJECTS objects of 10 KB to 1 MB (log-uniform, scaled to MIB MiB in all), a local
# sshd as the cluster machine with stand-in deisctl and docker (written here: they print the
# platform domain, the gateway's keys and a small dump; the store volume is a few small files),
# and one Lifeboat (-Xmx256m). Then, in one run on the same server:
#   lifeboat  deis-store-backup of db_wal (its "Copy the buckets" step is timed apart);
#   s3cmd     `s3cmd sync s3://db_wal .` into an empty directory, as the document does;
# then both again with nothing changed (Lifeboat references the bodies it holds; s3cmd compares
# size and MD5). One untimed round of each warms S3Proxy and Lifeboat first (a cold S3Proxy
# serves the first 1,000 GETs several times slower, which would bill whoever goes first). Each
# round is a new cluster to Lifeboat (the stand-in deisctl prints another platform domain), so its
# first backup holds nothing from an earlier one, and a new empty directory to s3cmd; who goes
# first alternates. It prints medians of RUNS rounds, the ratios s3cmd/lifeboat for the whole run
# and for Lifeboat's bucket step alone (targets: first >= 5, unchanged >= 10) and its peak heap.
# It also measures the floor: the server alone serving every object to 4 parallel GETs whose bytes
# are thrown away (bench/GetAll.java); s3cmd's time over it is the best ratio any client that keeps
# the objects could reach on this machine.
# --live-heap forces a full collection (jcmd GC.run) every second while Lifeboat's runs go on and
# reports the largest heap left after one: the live set, without the garbage that young collections
# promote (it slows the runs: use it for memory, not for times).
#
# Everything (S3Proxy, sshd, Lifeboat, temp files) is removed on exit, also on failure or Ctrl-C.
# Only 127.0.0.1 is used. Results go to stdout and bench/results/deis-store-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
OBJECTS=1000
MIB=200
XMX=256m
RUNS=3
LIVE_HEAP=
RUN_TIMEOUT=1800
USER_NAME=operator
USER_PASS=operator
CREDENTIAL_REF=bench-host
ACCESS_KEY=BENCHACCESSKEY
SECRET_KEY=bench-secret-key

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --objects) OBJECTS=$2; shift 2 ;;
    --mib) MIB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --live-heap) LIVE_HEAP=1; shift ;;
    -h|--help) usage 0 ;;
    *) bad_option "$1" ;;
  esac
done
[[ "$OBJECTS" =~ ^[1-9][0-9]*$ ]] || { echo "--objects wants a positive number" >&2; exit 2; }
[[ "$MIB" =~ ^[1-9][0-9]*$ ]] || { echo "--mib wants MiB, e.g. 200" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number, e.g. 3" >&2; exit 2; }

S3PROXY_PID=
start_gateway() {
  local dir="$WORK/s3proxy" port cp
  mkdir -p "$dir/data"
  cp="$WORK/test-classpath.txt"
  (cd "$ROOT" && ./mvnw -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null) \
    || die "could not resolve the test classpath (S3Proxy); run the tests once so Maven has it"
  port=$(free_port)
  GATEWAY="http://127.0.0.1:$port"
  cat >"$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=$GATEWAY
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.identity=$ACCESS_KEY
jclouds.credential=$SECRET_KEY
jclouds.filesystem.basedir=$dir/data
CONF
  "$JAVA" -Xmx512m -cp "$(cat "$cp")" org.gaul.s3proxy.Main --properties "$dir/s3proxy.conf" >"$dir/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  on_cleanup 'stop_pid "$S3PROXY_PID" 5'
  for _ in $(seq 150); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/")" == 403 ]] && { log "S3Proxy up on $GATEWAY"; return 0; }
    kill -0 "$S3PROXY_PID" 2>/dev/null || { tail -n 20 "$dir/s3proxy.log" >&2; die "S3Proxy exited"; }
    sleep 0.2
  done
  die "S3Proxy not up within 30 s"
}

s3() { s3cmd --config="$WORK/s3cfg" --no-progress "$@"; }

fill_bucket() {
  local src="$WORK/objects" i size
  printf '[default]\naccess_key = %s\nsecret_key = %s\nhost_base = %s\nhost_bucket = %s\nuse_https = False\nsignature_v2 = False\nbucket_location = US\n' \
    "$ACCESS_KEY" "$SECRET_KEY" "${GATEWAY#http://}" "${GATEWAY#http://}" >"$WORK/s3cfg"
  s3 mb s3://db_wal >/dev/null
  mkdir -p "$src/wal_005"
  # Log-uniform sizes between 10 KB and 1 MB, scaled so that they add up to MIB MiB.
  awk -v n="$OBJECTS" -v total=$((MIB << 20)) 'BEGIN {
      srand(3); for (i = 0; i < n; i++) { s[i] = exp(log(10240) + rand() * (log(1048576) - log(10240))); sum += s[i] }
      for (i = 0; i < n; i++) printf "%d\n", s[i] * total / sum }' >"$WORK/sizes"
  i=0
  while read -r size; do
    head -c "$size" /dev/urandom >"$src/wal_005/$(printf '%024X' "$i").lzo"
    i=$((i + 1))
  done <"$WORK/sizes"
  log "uploading $OBJECTS objects ($(mib "$(du -sb "$src" | cut -f1)") MiB) with s3cmd sync (not timed)"
  (cd "$src" && s3 sync wal_005 s3://db_wal >/dev/null)
  rm -rf "$src"
}

# The cluster machine's tools: as little as deis-store-backup asks of them.
write_stand_ins() {
  TOOLS="$WORK/tools"
  VOLUME="$WORK/store"
  mkdir -p "$TOOLS" "$VOLUME/logs"
  echo "controller started" >"$VOLUME/logs/deis-controller.log"
  cat >"$TOOLS/deisctl" <<SH
#!/bin/bash
case "\$*" in
  "config platform get domain") cat "$WORK/domain" ;;
  "config store get gateway/accessKey") echo $ACCESS_KEY ;;
  "config store get gateway/secretKey") echo $SECRET_KEY ;;
  *) echo "Error: 100: Key not found (/deis/\$2/\$4) [7]"; exit 1 ;;
esac
SH
  cat >"$TOOLS/docker" <<'SH'
#!/bin/bash
printf -- '--\n-- PostgreSQL database cluster dump\n--\n'
SH
  chmod +x "$TOOLS/deisctl" "$TOOLS/docker"
}

# Runs one deis-store-backup; sets L_TOTAL (client wall time) and L_COPY (the bucket step).
lifeboat_backup() {
  local params started id run
  params=$(jq -n --arg host "127.0.0.1:$SSH_PORT" --arg ref "$CREDENTIAL_REF" --arg gw "$GATEWAY" \
    --arg deisctl "$TOOLS/deisctl" --arg docker "$TOOLS/docker" --arg vol "$VOLUME" \
    '{host: $host, credentialRef: $ref, gatewayEndpoint: $gw, deisctlCommand: $deisctl, dockerCommand: $docker,
      storeVolumePath: $vol, buckets: "db_wal"}')
  started=$(now)
  id=$(start_run deis-store-backup "$params")
  local prober=
  if [[ -n "$LIVE_HEAP" ]]; then
    (while kill -0 "$LIFEBOAT_PID" 2>/dev/null; do "$JAVA_HOME/bin/jcmd" "$LIFEBOAT_PID" GC.run >/dev/null 2>&1; sleep 1; done) &
    prober=$!
  fi
  run=$(await_run "$id" COMPLETED)
  [[ -n "$prober" ]] && { kill "$prober" 2>/dev/null; wait "$prober" 2>/dev/null || true; }
  L_TOTAL=$(elapsed "$started" "$(now)")
  L_COPY=$(jq -r "$STEPS_JQ" <<<"$run" | grep -o 'CopyBuckets [0-9.]*' | cut -d' ' -f2)
  L_STEPS=$(jq -r "$STEPS_JQ" <<<"$run")
  L_MESSAGE=$(jq -r '.steps[] | select(.elementId == "Task_CopyBuckets") | .message' <<<"$run")
  L_OBJECTS=$(jq -r '.outputs.objectCount' <<<"$run")
  [[ "$L_OBJECTS" == "$OBJECTS" ]] || die "Lifeboat backed up $L_OBJECTS objects, not $OBJECTS"
}

# Syncs into $1 (a new directory for a first sync, the same one again for "unchanged").
s3cmd_sync() {
  local started
  mkdir -p "$1"
  started=$(now)
  (cd "$1" && s3 sync s3://db_wal . >/dev/null)
  S_TOTAL=$(elapsed "$started" "$(now)")
}

declare -a LF LC LU LUC SF SU
# One round (alternate calls it as ROUND WHO): a first backup and an unchanged one.
round() {
  case "$2" in
    lifeboat)
      echo "round-$1.example.com" >"$WORK/domain"
      lifeboat_backup
      LF+=("$L_TOTAL"); LC+=("$L_COPY"); FIRST_MESSAGE=$L_MESSAGE; FIRST_STEPS=$L_STEPS
      log "round $1 lifeboat, first: $L_TOTAL s (copy step $L_COPY s): $L_MESSAGE"
      lifeboat_backup
      LU+=("$L_TOTAL"); LUC+=("$L_COPY"); UNCHANGED_MESSAGE=$L_MESSAGE; UNCHANGED_STEPS=$L_STEPS
      log "round $1 lifeboat, unchanged: $L_TOTAL s (copy step $L_COPY s): $L_MESSAGE" ;;
    manual)
      s3cmd_sync "$WORK/s3cmd-$1"
      SF+=("$S_TOTAL")
      log "round $1 s3cmd sync, first: $S_TOTAL s"
      s3cmd_sync "$WORK/s3cmd-$1"
      SU+=("$S_TOTAL")
      log "round $1 s3cmd sync, unchanged: $S_TOTAL s"
      rm -rf "$WORK/s3cmd-$1" ;;
  esac
}

main() {
  need s3cmd curl jq awk ssh ssh-keygen /usr/sbin/sshd tar
  build_jar
  mkdir -p "$ROOT/bench/results"
  local results
  results="$ROOT/bench/results/deis-store-$(date +%Y-%m-%d-%H%M%S).txt"

  start_gateway
  fill_bucket
  start_sshd
  write_stand_ins
  add_user "$USER_NAME" "$USER_PASS" OPERATOR
  start_lifeboat deis "deis-store-backup" -- \
    --lifeboat.ssh.known-hosts-file="$KNOWN_HOSTS" \
    "--lifeboat.credentials.$CREDENTIAL_REF.username=$SSH_USER" \
    "--lifeboat.credentials.$CREDENTIAL_REF.private-key-file=$SSH_KEY" \
    "${USER_ARGS[@]}"
  start_heap_sampling "$WORK/lifeboat-deis/jstat.txt"

  echo warm-up.example.com >"$WORK/domain"
  lifeboat_backup
  s3cmd_sync "$WORK/s3cmd-warm-up"
  rm -rf "$WORK/s3cmd-warm-up"
  log "warmed up (untimed: lifeboat $L_TOTAL s, s3cmd $S_TOTAL s)"
  alternate "$RUNS" round
  HEAP_FULL_LIVE=$(grep 'Pause Full' "$GC_LOG" | sed -E 's/.*->([0-9]+)M\(.*/\1/' | sort -n | tail -n 1)
  stop_lifeboat_with_heap
  local floor
  # shellcheck disable=SC2046
  floor=$(median $("$JAVA" -cp "$(cat "$WORK/test-classpath.txt")" "$ROOT/bench/GetAll.java" --endpoint "$GATEWAY" \
    --bucket db_wal --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" --parallel 4 --rounds $((RUNS + 1)) |
    tail -n +2 | cut -d' ' -f1))
  log "floor: the server alone serves the bucket to 4 parallel GETs in $floor s (median)"

  local lf lc lu luc sf su
  lf=$(median "${LF[@]}"); lc=$(median "${LC[@]}"); lu=$(median "${LU[@]}"); luc=$(median "${LUC[@]}")
  sf=$(median "${SF[@]}"); su=$(median "${SU[@]}")
  {
    echo "deis-store-backup against 's3cmd sync s3://db_wal .': $OBJECTS objects, $MIB MiB, S3Proxy on loopback"
    echo "command: bash bench/deis-store.sh --objects $OBJECTS --mib $MIB --runs $RUNS${LIVE_HEAP:+ --live-heap}; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    describe_setup | sed '2s/^[^;]*; //'
    echo "$(s3cmd --version)"
    echo "medians of $RUNS alternating rounds after one untimed warm-up round; ratio = s3cmd/lifeboat"
    echo
    printf '%-18s %10s %12s %10s %14s %16s\n' "" "lifeboat" "copy step" "s3cmd" "ratio (run)" "ratio (copy)"
    printf '%-18s %10s %12s %10s %14s %16s\n' "first backup" "$lf s" "$lc s" "$sf s" "$(ratio "$sf" "$lf")" \
      "$(ratio "$sf" "$lc")  (target >= 5)"
    printf '%-18s %10s %12s %10s %14s %16s\n' "nothing changed" "$lu s" "$luc s" "$su s" "$(ratio "$su" "$lu")" \
      "$(ratio "$su" "$luc")  (target >= 10)"
    echo
    echo "floor: S3Proxy alone serving every object to 4 parallel GETs that discard the bytes: $floor s (median of $RUNS"
    echo "       after one warm-up); s3cmd first / floor = $(ratio "$sf" "$floor"), the most any client keeping the objects"
    echo "       could reach here"
    echo "every round (s): lifeboat first ${LF[*]}; copy ${LC[*]}; unchanged ${LU[*]}; copy ${LUC[*]}"
    echo "                 s3cmd first ${SF[*]}; unchanged ${SU[*]}"
    echo "lifeboat's copy step, first: $FIRST_MESSAGE"
    echo "lifeboat's copy step, unchanged: $UNCHANGED_MESSAGE"
    echo "lifeboat's steps (s), first: $FIRST_STEPS"
    echo "lifeboat's steps (s), unchanged: $UNCHANGED_STEPS"
    echo "Lifeboat heap (-Xmx$XMX): peak used $HEAP_USED MiB, peak after GC $HEAP_LIVE MiB$(
      [[ -n "$LIVE_HEAP" ]] && echo ", peak after a full GC during the runs (live set) $HEAP_FULL_LIVE MiB")"
    echo "Lifeboat's times are a whole run (check, buckets, a small volume and dump, manifest, verify, store,"
    echo "catalogue) as the client saw it; the copy step is the bucket transfer alone, s3cmd's whole job."
  } | tee "$results"
}

main
