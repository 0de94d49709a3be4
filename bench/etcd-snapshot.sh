#!/usr/bin/env bash
# Benchmark of Lifeboat's etcd-snapshot runbook against what an operator does by hand.
#
#   bash bench/etcd-snapshot.sh [--sizes 256,1024] [--runs 3] [--levels 6[,1]]
#
# For each size (MiB of etcd data) it starts a real single-member etcd on loopback, fills it with
# Kubernetes-like objects, then times, alternately and --runs times each:
#   lifeboat  POST /api/runs {"runbook":"etcd-snapshot"} until the run is COMPLETED (snapshot streamed
#             into a tar.gz with sha256 in one pass, verified, stored, catalogued);
#   manual    etcdctl snapshot save snap.db && tar czf snap.tar.gz snap.db && sha256sum snap.tar.gz.
# It reports medians, the ratio lifeboat/manual (target <= 1.0), the archive size and Lifeboat's
# peak heap, which must not grow with the snapshot: Lifeboat runs under -Xmx256m on purpose.
# --levels adds rows at other gzip levels (Lifeboat's lifeboat.etcd.compression-level, and
# 'tar -I "gzip -N"' by hand); level 6 is what 'tar czf' uses and the default of both.
#
# Everything (etcd, Lifeboat, temp files) is removed on exit, also on failure or Ctrl-C.
# Only 127.0.0.1 is used. Results go to stdout and bench/results/etcd-snapshot-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=256,1024
RUNS=3
LEVELS=6
XMX=256m
RUN_TIMEOUT=1800      # seconds: one Lifeboat run or one manual pipeline, at most
FILL_TIMEOUT=1800     # seconds: filling one etcd, at most
USER_NAME=bench
USER_PASS=bench

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --levels) LEVELS=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
done
[[ "$SIZES" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--sizes wants MiB, comma-separated, e.g. 256,1024" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 2; }
[[ "$LEVELS" =~ ^[1-9](,[1-9])*$ ]] || { echo "--levels wants gzip levels 1-9, e.g. 6,1" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Housekeeping: logging, processes we started, cleanup on any exit.

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-bench.XXXXXX")
ETCD_PID= LIFEBOAT_PID= JSTAT_PID=
LIFEBOAT_LOG=

# log, die, stop_pid, now, elapsed, free_port, build_jar, await_lifeboat
source "$ROOT/bench/lib.sh"

cleanup() {
  local status=$?
  stop_pid "$JSTAT_PID" 2
  stop_pid "$LIFEBOAT_PID" 30
  stop_pid "$ETCD_PID" 20
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (apt-get install etcd-server etcd-client curl jq)"
  done
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# Median of the numbers given as arguments (mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------------------------------------
# etcd: one fresh member per size, filled by bench/Fill.java through etcd's JSON gateway.

etcdctl_() { ETCDCTL_API=3 etcdctl --endpoints "$ETCD_URL" --command-timeout=60s "$@"; }

start_etcd() {
  local size=$1 dir="$WORK/etcd-$1" client peer
  client=$(free_port)
  peer=$(free_port)
  ETCD_URL="http://127.0.0.1:$client"
  mkdir -p "$dir"
  # The quota lifts etcd's 2 GiB default; bigger requests and txns let Fill batch its writes.
  etcd --name bench --data-dir "$dir/data" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" --initial-cluster-state new \
    --quota-backend-bytes $((8 << 30)) --max-request-bytes $((8 << 20)) --max-txn-ops 4096 \
    >"$dir/etcd.log" 2>&1 &
  ETCD_PID=$!
  for _ in $(seq 100); do
    etcdctl_ endpoint health >/dev/null 2>&1 && return 0
    kill -0 "$ETCD_PID" 2>/dev/null || { tail -n 20 "$dir/etcd.log" >&2; die "etcd exited"; }
    sleep 0.2
  done
  tail -n 20 "$dir/etcd.log" >&2
  die "etcd did not become healthy in 20 s"
}

db_size() { etcdctl_ endpoint status -w json | jq -r '.[0].Status.dbSize'; }

# Writes SIZE MiB of values, then tops up until etcd's database file is at least SIZE MiB.
fill_etcd() {
  local size=$1 started db round=0
  started=$(now)
  log "filling etcd with $size MiB of Kubernetes-like objects"
  timeout "$FILL_TIMEOUT" "$JAVA" "$ROOT/bench/Fill.java" --endpoint "$ETCD_URL" --mib "$size" --seed 1 >&2 ||
    die "filling etcd failed"
  db=$(db_size)
  while ((db < size << 20)); do
    ((++round <= 10)) || die "etcd's database stays below $size MiB ($db bytes)"
    timeout "$FILL_TIMEOUT" "$JAVA" "$ROOT/bench/Fill.java" --endpoint "$ETCD_URL" --mib $((size / 20 + 1)) \
      --seed $((100 + round)) --prefix "/registry/topup$round" >&2 || die "filling etcd failed"
    db=$(db_size)
  done
  FILL_SECONDS=$(elapsed "$started" "$(now)")
  DB_BYTES=$db
  log "etcd dbSize $(mib "$db") MiB after ${FILL_SECONDS} s of filling"
}

stop_etcd() {
  stop_pid "$ETCD_PID" 20
  ETCD_PID=
  rm -rf "$WORK/etcd-$1"
}

# ---------------------------------------------------------------------------------------------
# Lifeboat: a fresh instance per size and gzip level, so each peak-heap figure is its own.

api() { curl -sS --max-time 30 -u "$USER_NAME:$USER_PASS" "$@"; }

start_lifeboat() {
  local tag=$1 level=$2 dir="$WORK/lifeboat-$1" port
  port=$(free_port)
  LIFEBOAT_URL="http://127.0.0.1:$port"
  LIFEBOAT_LOG="$dir/lifeboat.log"
  GC_LOG="$dir/gc.log"
  mkdir -p "$dir"
  # -Xlog:gc records every collection's heap before->after; the after-GC peak is the live set.
  "$JAVA" -Xmx$XMX "-Xlog:gc:file=$GC_LOG" -jar "$WORK/lifeboat.jar" \
    --server.address=127.0.0.1 --server.port="$port" \
    --lifeboat.data-dir="$dir/data" --lifeboat.engine.embedded.port=0 \
    --lifeboat.etcd.compression-level="$level" \
    "--lifeboat.security.users[0].username=$USER_NAME" "--lifeboat.security.users[0].password={noop}$USER_PASS" \
    "--lifeboat.security.users[0].roles=OPERATOR" \
    --management.endpoint.health.probes.enabled=true \
    >"$LIFEBOAT_LOG" 2>&1 &
  LIFEBOAT_PID=$!
  log "Lifeboat with gzip level $level"
  await_lifeboat "$LIFEBOAT_URL" "$LIFEBOAT_PID" "$LIFEBOAT_LOG"
}

stop_lifeboat() {
  stop_pid "$LIFEBOAT_PID" 30
  LIFEBOAT_PID=
}

# jstat samples the heap every 200 ms while the runs go on; its peak (eden+survivors+old) counts
# garbage not yet collected, so the GC log's after-collection peak is reported beside it.
start_heap_sampling() {
  HEAP_SAMPLES="$1"
  "$JAVA_HOME/bin/jstat" -gc "$LIFEBOAT_PID" 200 >"$HEAP_SAMPLES" 2>&1 &
  JSTAT_PID=$!
}

stop_heap_sampling() {
  stop_pid "$JSTAT_PID" 2
  JSTAT_PID=
}

# Max of S0U+S1U+EU+OU (KiB) over jstat's samples, in MiB.
peak_heap_used() {
  awk '$1 == "S0C" { for (i = 1; i <= NF; i++) col[$i] = i; next }
       col["EU"] && $1 ~ /^[0-9.]+$/ { u = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (u > max) max = u }
       END { if (max == "") print "n/a"; else printf "%.0f", max / 1024 }' "$1"
}

# Max heap after a collection ("... 120M->34M(256M) ..."), over the instance's whole life, in MiB.
peak_heap_live() {
  awk '{
    if (match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/)) {
      s = substr($0, RSTART, RLENGTH); sub(/^[0-9]+[KMG]->/, "", s); sub(/\($/, "", s)
      unit = substr(s, length(s)); v = substr(s, 1, length(s) - 1) + 0
      if (unit == "K") v /= 1024; else if (unit == "G") v *= 1024
      if (v > max) max = v
    }
  } END { if (max == "") print "n/a"; else printf "%.0f", max }' "$1"
}

# Seconds per step of a run (from its JSON), and the server's createdAt -> finishedAt.
STEPS_JQ='def t: capture("^(?<d>[^.Z]+)(?<f>\\.[0-9]+)?Z$") | ((.d + "Z") | fromdateiso8601) + (("0" + (.f // ".0")) | tonumber);
  ([.steps[] | "\(.elementId | sub("^Task_"; "")) \((.finishedAt | t) - (.startedAt | t) | . * 100 | round / 100)"]
   | join(", ")) + "; server total " + ((.finishedAt | t) - (.createdAt | t) | . * 100 | round / 100 | tostring)'

# One timed Lifeboat run, from the POST to the poll that sees COMPLETED.
# Prints "seconds archive_bytes step timings...".
lifeboat_run() {
  local started body id status run deadline finished sha path
  started=$(now)
  body=$(api -X POST -H 'Content-Type: application/json' "$LIFEBOAT_URL/api/runs" \
    -d "{\"runbook\":\"etcd-snapshot\",\"parameters\":{\"endpoints\":\"$ETCD_URL\"}}") ||
    die "POST /api/runs failed"
  id=$(jq -r '.id // empty' <<<"$body")
  [[ -n "$id" ]] || { echo "$body" >&2; die "Lifeboat did not start the run"; }
  deadline=$((SECONDS + RUN_TIMEOUT))
  while :; do
    run=$(api "$LIFEBOAT_URL/api/runs/$id") || die "GET /api/runs/$id failed"
    status=$(jq -r .status <<<"$run")
    case "$status" in
      COMPLETED) finished=$(now); break ;;
      RUNNING|null|"") ;;   # null: a transient error answer; the deadline bounds the wait
      *) # FAILED, INTERRUPTED, CANCELED, ... and WAITING_FOR_APPROVAL: nobody here approves.
        jq . <<<"$run" >&2
        echo "--- Lifeboat log (tail) ---" >&2
        tail -n 60 "$LIFEBOAT_LOG" >&2
        die "Lifeboat run $id ended $status" ;;
    esac
    ((SECONDS < deadline)) || { jq . <<<"$run" >&2; die "Lifeboat run $id still $status after $RUN_TIMEOUT s"; }
    sleep 0.2
  done
  # Outside the timing: the archive is where the run says, with the sha256 it says.
  path=$(jq -r .outputs.path <<<"$run")
  sha=$(jq -r .outputs.sha256 <<<"$run")
  if [[ -f "$path" ]]; then
    [[ "$(sha256sum "$path" | cut -d' ' -f1)" == "$sha" ]] || die "archive $path does not match sha256 $sha"
  else
    log "note: outputs.path '$path' is not a local file; sha256 not re-checked"
  fi
  # Free the disk (and the page cache's dirty pages) before the next run.
  api -X DELETE "$LIFEBOAT_URL/api/backups/$(jq -r .outputs.backupId <<<"$run")" >/dev/null ||
    log "note: could not delete backup $(jq -r .outputs.backupId <<<"$run")"
  echo "$(elapsed "$started" "$finished") $(jq -r .outputs.size <<<"$run") $(jq -r "$STEPS_JQ" <<<"$run" 2>/dev/null || echo '?')"
}

# One timed manual pipeline, as an operator types it (the stage timestamps cost microseconds).
# Prints "seconds archive_bytes snapshot_bytes stage timings...".
manual_run() {
  local level=$1 dir="$WORK/manual" started finished archive snapshot
  rm -rf "$dir" && mkdir -p "$dir"
  started=$(now)
  (
    cd "$dir"
    local t0 t1 t2
    t0=$(now)
    timeout "$RUN_TIMEOUT" env ETCDCTL_API=3 etcdctl --endpoints "$ETCD_URL" snapshot save snap.db >snapshot.log 2>&1
    t1=$(now)
    if [[ "$level" == 6 ]]; then
      timeout "$RUN_TIMEOUT" tar czf snap.tar.gz snap.db
    else
      timeout "$RUN_TIMEOUT" tar -I "gzip -$level" -cf snap.tar.gz snap.db
    fi
    t2=$(now)
    sha256sum snap.tar.gz >snap.tar.gz.sha256
    echo "save $(elapsed "$t0" "$t1"), tar $(elapsed "$t1" "$t2"), sha256sum $(elapsed "$t2" "$(now)")" >stages
  ) || { cat "$dir/snapshot.log" >&2 || true; die "the manual pipeline failed"; }
  finished=$(now)
  archive=$(stat -c %s "$dir/snap.tar.gz")
  snapshot=$(stat -c %s "$dir/snap.db")
  echo "$(elapsed "$started" "$finished") $archive $snapshot $(cat "$dir/stages")"
  rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------------

main() {
  need etcd etcdctl curl jq tar gzip sha256sum awk timeout
  build_jar
  mkdir -p "$ROOT/bench/results"
  local stamp results rows="" details=""
  stamp=$(date +%Y-%m-%d-%H%M%S)
  results="$ROOT/bench/results/etcd-snapshot-$stamp.txt"

  local size level
  for size in ${SIZES//,/ }; do
    start_etcd "$size"
    fill_etcd "$size"
    for level in ${LEVELS//,/ }; do
      start_lifeboat "$size-gz$level" "$level"
      start_heap_sampling "$WORK/lifeboat-$size-gz$level/jstat.txt"
      local lb=() man=() lb_bytes=0 man_bytes=0 snap_bytes=0 r out t steps run_lines=""
      for ((r = 1; r <= RUNS; r++)); do
        # Alternate who goes first (L M, M L, ...) so drift and noise hit both alike.
        local order="lifeboat manual"
        ((r % 2 == 0)) && order="manual lifeboat"
        local who
        for who in $order; do
          if [[ $who == lifeboat ]]; then
            out=$(lifeboat_run)
            read -r t lb_bytes steps <<<"$out"
            lb+=("$t")
            log "size $size MiB, gzip $level, run $r: lifeboat $t s, archive $(mib "$lb_bytes") MiB ($steps)"
            run_lines+="  run $r lifeboat steps (s): $steps"$'\n'
          else
            out=$(manual_run "$level")
            read -r t man_bytes snap_bytes steps <<<"$out"
            man+=("$t")
            log "size $size MiB, gzip $level, run $r: manual   $t s, archive $(mib "$man_bytes") MiB ($steps)"
            run_lines+="  run $r manual stages (s):   $steps"$'\n'
          fi
        done
      done
      stop_heap_sampling
      local used live lb_med man_med
      used=$(peak_heap_used "$WORK/lifeboat-$size-gz$level/jstat.txt")
      stop_lifeboat
      live=$(peak_heap_live "$GC_LOG")
      lb_med=$(median "${lb[@]}")
      man_med=$(median "${man[@]}")
      rows+=$(printf '%-8s %-6s %8s %9s %17s %15s %6s %11s %12s %14s %14s' \
        "$size" "$level" "$(mib "$DB_BYTES")" "$(mib "$snap_bytes")" "$lb_med" "$man_med" \
        "$(awk -v a="$lb_med" -v b="$man_med" 'BEGIN { printf "%.2f", a / b }')" \
        "$(mib "$lb_bytes")" "$(mib "$man_bytes")" "$used" "$live")$'\n'
      details+="size $size MiB, gzip $level: lifeboat s: ${lb[*]}; manual s: ${man[*]}; fill ${FILL_SECONDS} s"$'\n'"$run_lines"
    done
    stop_etcd "$size"
  done

  local commit dirty=""
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -n "$(git -C "$ROOT" status --porcelain -- src pom.xml bpmn 2>/dev/null)" ]] && dirty=" + uncommitted changes in src/, pom.xml or bpmn/"
  {
    echo "Lifeboat etcd-snapshot benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: bash bench/etcd-snapshot.sh --sizes $SIZES --runs $RUNS --levels $LEVELS"
    echo "commit $commit$dirty; jar built $(stat -c %y "$JAR" | cut -d. -f1); $("$JAVA" -version 2>&1 | head -n 1)"
    echo "$(etcd --version | head -n 1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); kernel $(uname -r)"
    echo "lifeboat = POST /api/runs -> COMPLETED (polled every 0.2 s), with --lifeboat.etcd.compression-level=<gzip>"
    echo "manual   = etcdctl snapshot save + tar czf (gzip 6; other levels: tar -I 'gzip -N' -cf) + sha256sum"
    echo "medians of $RUNS alternating runs; sizes in MiB; ratio = lifeboat/manual, target <= 1.00"
    echo "Lifeboat heap, -Xmx$XMX: peak used (jstat every 200 ms during the runs, garbage included) and peak live (after GC, GC log)"
    echo
    printf '%-8s %-6s %8s %9s %17s %15s %6s %11s %12s %14s %14s\n' size_MiB gzip db_MiB snap_MiB \
      lifeboat_median_s manual_median_s ratio archive_MiB manual_arch_MiB heap_peak_MiB heap_live_MiB
    printf '%s' "$rows"
    echo
    printf '%s' "$details"
  } | tee "$results"
  log "results written to ${results#"$ROOT/"}"
}

main
