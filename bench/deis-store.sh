#!/usr/bin/env bash
# Benchmark of Lifeboat's deis-store-backup against procedure 003's `s3cmd sync`.
#
#   bash bench/deis-store.sh [--objects 1000] [--mib 200]
#
# It starts S3Proxy (from the test classpath, filesystem backend) as the store gateway with a
# bucket db_wal of OBJECTS objects of 10 KB to 1 MB (log-uniform, scaled to MIB MiB in all), a local
# sshd as the cluster machine with stand-in deisctl and docker (written here: they print the
# platform domain, the gateway's keys and a small dump; the store volume is a few small files),
# and one Lifeboat (-Xmx256m). Then, in one run on the same server:
#   lifeboat  deis-store-backup of db_wal (its "Copy the buckets" step is timed apart);
#   s3cmd     `s3cmd sync s3://db_wal .` into an empty directory, as the document does;
# then both again with nothing changed (Lifeboat references the bodies it holds; s3cmd compares
# size and MD5). It prints times, the ratios s3cmd/lifeboat (targets: first >= 5, unchanged >= 10)
# and Lifeboat's peak heap.
#
# Everything (S3Proxy, sshd, Lifeboat, temp files) is removed on exit, also on failure or Ctrl-C.
# Only 127.0.0.1 is used. Results go to stdout and bench/results/deis-store-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
OBJECTS=1000
MIB=200
XMX=256m
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
    -h|--help) usage 0 ;;
    *) bad_option "$1" ;;
  esac
done
[[ "$OBJECTS" =~ ^[1-9][0-9]*$ ]] || { echo "--objects wants a positive number" >&2; exit 2; }
[[ "$MIB" =~ ^[1-9][0-9]*$ ]] || { echo "--mib wants MiB, e.g. 200" >&2; exit 2; }

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
  "config platform get domain") echo bench.example.com ;;
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
  run=$(await_run "$id" COMPLETED)
  L_TOTAL=$(elapsed "$started" "$(now)")
  L_COPY=$(jq -r "$STEPS_JQ" <<<"$run" | grep -o 'CopyBuckets [0-9.]*' | cut -d' ' -f2)
  L_STEPS=$(jq -r "$STEPS_JQ" <<<"$run")
  L_MESSAGE=$(jq -r '.steps[] | select(.elementId == "Task_CopyBuckets") | .message' <<<"$run")
  L_OBJECTS=$(jq -r '.outputs.objectCount' <<<"$run")
}

s3cmd_sync() {
  local started
  started=$(now)
  (cd "$WORK/s3cmd-copy" && s3 sync s3://db_wal . >/dev/null)
  S_TOTAL=$(elapsed "$started" "$(now)")
}

main() {
  need s3cmd curl jq awk ssh ssh-keygen /usr/sbin/sshd tar
  build_jar
  mkdir -p "$ROOT/bench/results" "$WORK/s3cmd-copy"
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

  lifeboat_backup
  local l1=$L_TOTAL c1=$L_COPY m1=$L_MESSAGE t1=$L_STEPS
  [[ "$L_OBJECTS" == "$OBJECTS" ]] || die "Lifeboat backed up $L_OBJECTS objects, not $OBJECTS"
  log "lifeboat, first: $l1 s (copy step $c1 s): $m1"
  s3cmd_sync
  local s1=$S_TOTAL
  log "s3cmd sync, first: $s1 s"
  lifeboat_backup
  local l2=$L_TOTAL c2=$L_COPY m2=$L_MESSAGE t2=$L_STEPS
  log "lifeboat, unchanged: $l2 s (copy step $c2 s): $m2"
  s3cmd_sync
  local s2=$S_TOTAL
  log "s3cmd sync, unchanged: $s2 s"
  stop_lifeboat_with_heap

  {
    echo "deis-store-backup against 's3cmd sync s3://db_wal .': $OBJECTS objects, $MIB MiB, S3Proxy on loopback"
    describe_setup | sed '2s/^[^;]*; //'
    echo "$(s3cmd --version)"
    echo
    printf '%-22s %10s %14s %10s %16s\n' "" "lifeboat" "(copy step)" "s3cmd" "s3cmd/lifeboat"
    printf '%-22s %10s %14s %10s %16s\n' "first backup" "$l1 s" "$c1 s" "$s1 s" "$(ratio "$s1" "$l1")  (target >= 5)"
    printf '%-22s %10s %14s %10s %16s\n' "nothing changed" "$l2 s" "$c2 s" "$s2 s" "$(ratio "$s2" "$l2")  (target >= 10)"
    echo
    echo "lifeboat's copy step, first: $m1"
    echo "lifeboat's copy step, unchanged: $m2"
    echo "lifeboat's steps (s), first: $t1"
    echo "lifeboat's steps (s), unchanged: $t2"
    echo "Lifeboat heap (-Xmx$XMX): peak used $HEAP_USED MiB, peak after GC $HEAP_LIVE MiB"
    echo "Lifeboat's times are a whole run (check, buckets, a small volume and dump, manifest, verify, store,"
    echo "catalogue) as the client saw it; the copy step is the bucket transfer alone."
  } | tee "$results"
}

main
