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
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
SIZES=256,1024
RUNS=3
LEVELS=6
XMX=256m
RUN_TIMEOUT=1800      # seconds: one Lifeboat run or one manual pipeline, at most
FILL_TIMEOUT=1800     # seconds: filling one etcd, at most
USER_NAME=bench
USER_PASS=bench

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --levels) LEVELS=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) bad_option "$1" ;;
  esac
done
[[ "$SIZES" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--sizes wants MiB, comma-separated, e.g. 256,1024" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 2; }
[[ "$LEVELS" =~ ^[1-9](,[1-9])*$ ]] || { echo "--levels wants gzip levels 1-9, e.g. 6,1" >&2; exit 2; }

# One timed Lifeboat run, from the POST to the poll that sees COMPLETED.
# Prints "seconds archive_bytes step timings...".
lifeboat_run() {
  local started id run finished sha path
  started=$(now)
  id=$(start_run etcd-snapshot "{\"endpoints\":\"$ETCD_URL\"}")
  run=$(await_run "$id" COMPLETED)
  finished=$(now)
  # Outside the timing: the archive is where the run says, with the sha256 it says.
  path=$(jq -r .outputs.path <<<"$run")
  sha=$(jq -r .outputs.sha256 <<<"$run")
  if [[ -f "$path" ]]; then
    [[ "$(sha256sum "$path" | cut -d' ' -f1)" == "$sha" ]] || die "archive $path does not match sha256 $sha"
  else
    log "note: outputs.path '$path' is not a local file; sha256 not re-checked"
  fi
  delete_backup "$(jq -r .outputs.backupId <<<"$run")"
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
  add_user "$USER_NAME" "$USER_PASS" OPERATOR
  mkdir -p "$ROOT/bench/results"
  local stamp results rows="" details=""
  stamp=$(date +%Y-%m-%d-%H%M%S)
  results="$ROOT/bench/results/etcd-snapshot-$stamp.txt"

  local size level
  for size in ${SIZES//,/ }; do
    start_etcd "$size"
    fill_etcd "$size"
    for level in ${LEVELS//,/ }; do
      start_lifeboat "$size-gz$level" "gzip level $level" -- --lifeboat.etcd.compression-level="$level" \
        "${USER_ARGS[@]}"
      start_heap_sampling "$WORK/lifeboat-$size-gz$level/jstat.txt"
      local lb=() man=() lb_bytes=0 man_bytes=0 snap_bytes=0 run_lines=""
      one_run() {
        local r=$1 out t steps
        if [[ $2 == lifeboat ]]; then
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
      }
      alternate "$RUNS" one_run
      stop_lifeboat_with_heap
      local lb_med man_med
      lb_med=$(median "${lb[@]}")
      man_med=$(median "${man[@]}")
      rows+=$(printf '%-8s %-6s %8s %9s %17s %15s %6s %11s %12s %14s %14s' \
        "$size" "$level" "$(mib "$DB_BYTES")" "$(mib "$snap_bytes")" "$lb_med" "$man_med" \
        "$(ratio "$lb_med" "$man_med")" \
        "$(mib "$lb_bytes")" "$(mib "$man_bytes")" "$HEAP_USED" "$HEAP_LIVE")$'\n'
      details+="size $size MiB, gzip $level: lifeboat s: ${lb[*]}; manual s: ${man[*]}; fill ${FILL_SECONDS} s"$'\n'"$run_lines"
    done
    stop_etcd "$size"
  done

  {
    echo "Lifeboat etcd-snapshot benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: bash bench/etcd-snapshot.sh --sizes $SIZES --runs $RUNS --levels $LEVELS"
    describe_setup
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
