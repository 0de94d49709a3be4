#!/usr/bin/env bash
# Benchmark of Lifeboat's etcd-snapshot runbook against what an operator does by hand.
#
#   bash bench/etcd-snapshot.sh [--sizes 256,1024] [--runs 3] [--levels 6[,1]] [--repos local,s3]
#                               [--encryption off,on]
#
# For each size (MiB of etcd data) it starts a real single-member etcd on loopback, fills it with
# Kubernetes-like objects, then times, alternately and --runs times each:
#   lifeboat  POST /api/runs {"runbook":"etcd-snapshot"} until the run is COMPLETED (snapshot streamed
#             into a tar.gz with sha256 in one pass, verified, stored, catalogued);
#   manual    etcdctl snapshot save snap.db && tar czf snap.tar.gz snap.db && sha256sum snap.tar.gz.
# One untimed run of each warms up first (Lifeboat's JIT, the page cache); its figures are shown apart.
# It reports medians, the ratio lifeboat/manual (targets <= 0.6 local, <= 1.0 s3), the archive size and Lifeboat's
# peak heap, which must not grow with the snapshot: Lifeboat runs under -Xmx256m on purpose.
# --levels adds rows at other gzip levels (Lifeboat's lifeboat.archive.gzip-level, and
# 'tar -I "gzip -N"' by hand); level 6 is what 'tar czf' uses and the default of both.
# --repos s3 adds rows with Lifeboat's S3 repository (S3Proxy on loopback, started here from
# bench/S3Server.java) against the manual pipeline followed by 's3cmd put' to the same server.
# --encryption on adds rows with age recipients configured, against the manual pipeline with
# 'tar czf - snap.db | age -R recipients > snap.tar.gz.age' (Debian's age).
#
# Everything (etcd, Lifeboat, temp files) is removed on exit, also on failure or Ctrl-C.
# Only 127.0.0.1 is used. Results go to stdout and bench/results/etcd-snapshot-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
SIZES=256,1024
RUNS=3
LEVELS=6
REPOS=local,s3
ENCRYPTION=off,on
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
    --repos) REPOS=$2; shift 2 ;;
    --encryption) ENCRYPTION=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) bad_option "$1" ;;
  esac
done
[[ "$SIZES" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--sizes wants MiB, comma-separated, e.g. 256,1024" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 2; }
[[ "$LEVELS" =~ ^[1-9](,[1-9])*$ ]] || { echo "--levels wants gzip levels 1-9, e.g. 6,1" >&2; exit 2; }
[[ "$REPOS" =~ ^(local|s3)(,(local|s3))*$ ]] || { echo "--repos wants local and/or s3, e.g. local,s3" >&2; exit 2; }
[[ "$ENCRYPTION" =~ ^(off|on)(,(off|on))*$ ]] || { echo "--encryption wants off and/or on" >&2; exit 2; }

# One timed Lifeboat run, from the POST to the run's finishedAt (a poll every 0.2 s sees it COMPLETED).
# Prints "seconds archive_bytes step timings...".
lifeboat_run() {
  local started id run finished sha path
  started=$(now)
  id=$(start_run etcd-snapshot "{\"endpoints\":\"$ETCD_URL\"}")
  run=$(await_run "$id" COMPLETED)
  finished=$(finished_at "$run")
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
  local level=$1 repo=$2 enc=$3 dir="$WORK/manual" started finished archive snapshot name=snap.tar.gz
  [[ "$enc" == on ]] && name=snap.tar.gz.age
  rm -rf "$dir" && mkdir -p "$dir"
  started=$(now)
  (
    cd "$dir"
    local t0 t1 t2 t3 gz=(tar czf) upload=""
    [[ "$level" == 6 ]] || gz=(tar -I "gzip -$level" -cf)
    t0=$(now)
    timeout "$RUN_TIMEOUT" env ETCDCTL_API=3 etcdctl --endpoints "$ETCD_URL" snapshot save snap.db >snapshot.log 2>&1
    t1=$(now)
    if [[ "$enc" == on ]]; then
      timeout "$RUN_TIMEOUT" "${gz[@]}" - snap.db | age -R "$WORK/age.recipients" >"$name"
    else
      timeout "$RUN_TIMEOUT" "${gz[@]}" "$name" snap.db
    fi
    t2=$(now)
    sha256sum "$name" >"$name.sha256"
    t3=$(now)
    if [[ "$repo" == s3 ]]; then
      timeout "$RUN_TIMEOUT" s3cmd -q -c "$S3CMD_CONFIG" put "$name" "s3://$S3_BUCKET/manual/$name" >/dev/null
      upload=", s3cmd put $(elapsed "$t3" "$(now)")"
    fi
    echo "save $(elapsed "$t0" "$t1"), tar$([[ "$enc" == on ]] && echo '|age') $(elapsed "$t1" "$t2"), sha256sum $(elapsed "$t2" "$t3")$upload" >stages
  ) || { cat "$dir/snapshot.log" >&2 || true; die "the manual pipeline failed"; }
  finished=$(now)
  [[ "$repo" == s3 ]] && s3cmd -q -c "$S3CMD_CONFIG" del "s3://$S3_BUCKET/manual/$name" >/dev/null
  archive=$(stat -c %s "$dir/$name")
  snapshot=$(stat -c %s "$dir/snap.db")
  echo "$(elapsed "$started" "$finished") $archive $snapshot $(cat "$dir/stages")"
  rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------------

main() {
  need etcd etcdctl curl jq tar gzip sha256sum awk timeout
  [[ "$REPOS" == *s3* ]] && need s3cmd
  [[ "$ENCRYPTION" == *on* ]] && need age age-keygen
  build_jar
  [[ "$REPOS" == *s3* ]] && start_s3
  if [[ "$ENCRYPTION" == *on* ]]; then
    age-keygen -o "$WORK/age.key" 2>/dev/null
    age-keygen -y "$WORK/age.key" >"$WORK/age.recipients"
  fi
  add_user "$USER_NAME" "$USER_PASS" OPERATOR
  mkdir -p "$ROOT/bench/results"
  local stamp results rows="" details=""
  stamp=$(date +%Y-%m-%d-%H%M%S)
  results="$ROOT/bench/results/etcd-snapshot-$stamp.txt"

  local size level repo enc
  for size in ${SIZES//,/ }; do
    start_etcd "$size"
    fill_etcd "$size"
    for level in ${LEVELS//,/ }; do
    for repo in ${REPOS//,/ }; do
    for enc in ${ENCRYPTION//,/ }; do
      local tag="$size-gz$level-$repo-$enc" props=(--lifeboat.archive.gzip-level="$level")
      [[ "$repo" == s3 ]] && props+=("${S3_PROPS[@]}")
      [[ "$enc" == on ]] && props+=(--lifeboat.encryption.age-recipients-file="$WORK/age.recipients")
      start_lifeboat "$tag" "gzip level $level, $repo repository, encryption $enc" -- "${props[@]}" "${USER_ARGS[@]}"
      start_heap_sampling "$WORK/lifeboat-$tag/jstat.txt"
      local lb=() man=() lb_bytes=0 man_bytes=0 snap_bytes=0 run_lines="" warm_up=()
      one_run() {
        local r=$1 out t steps
        if [[ $2 == lifeboat ]]; then
          out=$(lifeboat_run)
          read -r t lb_bytes steps <<<"$out"
          if ((r == 0)); then
            warm_up+=("lifeboat $t s")
            log "$size MiB, gzip $level, $repo, encryption $enc, untimed warm-up: lifeboat $t s"
            return
          fi
          lb+=("$t")
          log "$size MiB, gzip $level, $repo, encryption $enc, run $r: lifeboat $t s, archive $(mib "$lb_bytes") MiB ($steps)"
          run_lines+="  run $r lifeboat steps (s): $steps"$'\n'
        else
          out=$(manual_run "$level" "$repo" "$enc")
          read -r t man_bytes snap_bytes steps <<<"$out"
          if ((r == 0)); then
            warm_up+=("manual $t s")
            log "$size MiB, gzip $level, $repo, encryption $enc, untimed warm-up: manual $t s"
            return
          fi
          man+=("$t")
          log "$size MiB, gzip $level, $repo, encryption $enc, run $r: manual   $t s, archive $(mib "$man_bytes") MiB ($steps)"
          run_lines+="  run $r manual stages (s):   $steps"$'\n'
        fi
      }
      alternate "$RUNS" one_run --warm-up
      stop_lifeboat_with_heap
      local lb_med man_med
      lb_med=$(median "${lb[@]}")
      man_med=$(median "${man[@]}")
      rows+=$(printf '%-8s %-6s %-6s %-4s %8s %9s %17s %15s %6s %11s %12s %14s %14s' \
        "$size" "$level" "$repo" "$enc" "$(mib "$DB_BYTES")" "$(mib "$snap_bytes")" "$lb_med" "$man_med" \
        "$(ratio "$lb_med" "$man_med")" \
        "$(mib "$lb_bytes")" "$(mib "$man_bytes")" "$HEAP_USED" "$HEAP_LIVE")$'\n'
      details+="size $size MiB, gzip $level, $repo, encryption $enc: lifeboat s: ${lb[*]}; manual s: ${man[*]}; untimed warm-up: $(printf '%s; ' "${warm_up[@]}")fill ${FILL_SECONDS} s"$'\n'"$run_lines"
    done
    done
    done
    stop_etcd "$size"
  done

  {
    echo "Lifeboat etcd-snapshot benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: bash bench/etcd-snapshot.sh --sizes $SIZES --runs $RUNS --levels $LEVELS --repos $REPOS --encryption $ENCRYPTION"
    describe_setup
    echo "lifeboat = POST /api/runs -> the run's finishedAt (COMPLETED, polled every 0.2 s), with --lifeboat.archive.gzip-level=<gzip>"
    echo "manual   = etcdctl snapshot save + tar czf (gzip 6; other levels: tar -I 'gzip -N' -cf) [| age -R] + sha256sum [+ s3cmd put]"
    echo "repo s3 = S3Proxy on loopback (filesystem backend); encryption on = age, one X25519 recipient"
    echo "medians of $RUNS alternating runs after one untimed warm-up run of each (Lifeboat is a long-running service: its"
    echo "first run after start-up, the JIT still compiling, is shown apart); sizes in MiB; ratio = lifeboat/manual;"
    echo "targets <= 0.60 local, <= 1.00 s3"
    echo "Lifeboat heap, -Xmx$XMX: peak used (jstat every 200 ms during the runs, garbage included) and peak live (after GC, GC log)"
    echo
    printf '%-8s %-6s %-6s %-4s %8s %9s %17s %15s %6s %11s %12s %14s %14s\n' size_MiB gzip repo age db_MiB snap_MiB \
      lifeboat_median_s manual_median_s ratio archive_MiB manual_arch_MiB heap_peak_MiB heap_live_MiB
    printf '%s' "$rows"
    echo
    printf '%s' "$details"
  } | tee "$results"
  log "results written to ${results#"$ROOT/"}"
}

main
