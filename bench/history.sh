#!/usr/bin/env bash
# Benchmark of the history an operator and an auditor browse: the run list and the audit search
# on a year of history, with the audit chain verified and exported in full.
#
#   bash bench/history.sh [--runs 10000] [--events 200000] [--requests 30]
#
# bench/HistoryFill.java seeds a fresh data directory (H2, Lifeboat stopped) with --runs finished
# runs with their steps and --events audit events chained with Lifeboat's own hash function. Then
# Lifeboat starts (-Xmx512m) and each request below is timed --requests times after 5 warm-up
# requests; it prints p50 and p95 in ms (target: p50 under 200 ms), the time of
# GET /api/audit/verify over the whole chain (which must say valid), and of a full CSV export.
# One more row repeats the first audit page as a user whose password is a bcrypt hash: HTTP Basic
# checks the password on every request, so that row shows what bcrypt adds to each.
#
# Everything (Lifeboat, temp files) is removed on exit, also on failure or Ctrl-C. Only 127.0.0.1
# is used. Results go to stdout and bench/results/history-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=10000
EVENTS=200000
REQUESTS=30
WARMUP=5
XMX=512m
USER_NAME=bench
USER_PASS=bench

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
done
for n in "$RUNS" "$EVENTS" "$REQUESTS"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--runs, --events and --requests want positive numbers" >&2; exit 2; }
done
((EVENTS >= RUNS * 13)) || { echo "--events must be at least 13 x --runs (each run records up to 13)" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Housekeeping: logging, the process we started, cleanup on any exit.

JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
# log, die, stop_pid, cleanup on exit, need, now, elapsed, free_port, build_jar, await_lifeboat,
# stop_lifeboat; creates $WORK
source "$ROOT/bench/lib.sh"

# p-th percentile (nearest rank) of the numbers given as arguments.
percentile() {
  local p=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v p="$p" '{ v[NR] = $1 } END { r = int((p * NR + 99) / 100); if (r < 1) r = 1; print v[r] }'
}

# ---------------------------------------------------------------------------------------------
# Lifeboat's jar, unpacked too: HistoryFill runs on its classes and libraries.

unpack_jar() {
  mkdir -p "$WORK/jar"
  (cd "$WORK/jar" && unzip -q "$WORK/lifeboat.jar") || die "could not unpack the jar"
}

seed() {
  local out
  log "seeding $RUNS runs and $EVENTS audit events"
  out=$("$JAVA" -cp "$WORK/jar/BOOT-INF/classes:$WORK/jar/BOOT-INF/lib/*" "$ROOT/bench/HistoryFill.java" \
    --data-dir "$WORK/data" --runs "$RUNS" --events "$EVENTS" --bcrypt-of "$USER_PASS" 2>"$WORK/fill.log") ||
    { tail -n 30 "$WORK/fill.log" >&2; die "seeding failed"; }
  SEED_LINE=$(grep -m 1 ' audit events in ' <<<"$out" || true)
  BCRYPT=$(sed -n 's/^bcrypt //p' <<<"$out")
  log "$SEED_LINE"
}

start_lifeboat() {
  local port
  port=$(free_port)
  LIFEBOAT_URL="http://127.0.0.1:$port"
  LIFEBOAT_LOG="$WORK/lifeboat.log"
  "$JAVA" -Xmx$XMX -jar "$WORK/lifeboat.jar" \
    --server.address=127.0.0.1 --server.port="$port" \
    --lifeboat.data-dir="$WORK/data" --lifeboat.engine.embedded.port=0 \
    "--lifeboat.security.users[0].username=$USER_NAME" "--lifeboat.security.users[0].password={noop}$USER_PASS" \
    "--lifeboat.security.users[0].roles=AUDITOR" \
    "--lifeboat.security.users[1].username=$USER_NAME-bcrypt" "--lifeboat.security.users[1].password={bcrypt}$BCRYPT" \
    "--lifeboat.security.users[1].roles=AUDITOR" \
    --management.endpoint.health.probes.enabled=true \
    >"$LIFEBOAT_LOG" 2>&1 &
  LIFEBOAT_PID=$!
  await_lifeboat "$LIFEBOAT_URL" "$LIFEBOAT_PID" "$LIFEBOAT_LOG"
}

api() { curl -sS --max-time 120 -u "$USER_NAME:$USER_PASS" "$@"; }

# Seconds of one request as curl measures it (connect to last byte); fails on anything but 200.
timed() {
  local user=$1 path=$2 out code seconds
  out=$(curl -sS --max-time 120 -u "$user" -o "$WORK/body" -w '%{http_code} %{time_total}' "$LIFEBOAT_URL$path") ||
    die "GET $path failed"
  read -r code seconds <<<"$out"
  [[ "$code" == 200 ]] || { head -c 500 "$WORK/body" >&2; die "GET $path answered $code"; }
  echo "$seconds"
}

# Times one request; appends a row "name p50 p95 (result size)" to ROWS.
measure() {
  local name=$1 user=$2 path=$3 times=() t ms
  for ((i = 0; i < WARMUP; i++)); do timed "$user" "$path" >/dev/null; done
  for ((i = 0; i < REQUESTS; i++)); do
    t=$(timed "$user" "$path")
    times+=("$(awk -v s="$t" 'BEGIN { printf "%.1f", s * 1000 }')")
  done
  local size p50 p95
  size=$(jq -r 'if type == "array" then length elif has("total") then .total else "-" end' "$WORK/body" 2>/dev/null || echo '?')
  p50=$(percentile 50 "${times[@]}")
  p95=$(percentile 95 "${times[@]}")
  log "$(printf '%-34s p50 %7s ms  p95 %7s ms  (%s)' "$name" "$p50" "$p95" "$size")"
  ROWS+=$(printf '%-34s %9s %9s %10s  %s' "$name" "$p50" "$p95" "$size" "$path")$'\n'
  P50S+=("$p50")
}

# ---------------------------------------------------------------------------------------------

main() {
  need curl jq unzip awk
  build_jar
  unpack_jar
  seed
  start_lifeboat
  mkdir -p "$ROOT/bench/results"
  local stamp results run_id from to
  stamp=$(date +%Y-%m-%d-%H%M%S)
  results="$ROOT/bench/results/history-$stamp.txt"

  run_id=$(api "$LIFEBOAT_URL/api/runs?limit=1&offset=$((RUNS / 2))" | jq -r '.[0].id')
  [[ -n "$run_id" && "$run_id" != null ]] || die "no run found in the seeded history"
  from=$(date -u -d '-120 days' +%Y-%m-%dT%H:%M:%SZ)
  to=$(date -u -d '-90 days' +%Y-%m-%dT%H:%M:%SZ)

  ROWS="" P50S=()
  local me="$USER_NAME:$USER_PASS"
  measure "runs: first page" "$me" "/api/runs"
  measure "runs: runbook + status" "$me" "/api/runs?runbook=etcd-snapshot&status=FAILED"
  measure "runs: page at offset 5000" "$me" "/api/runs?offset=5000"
  measure "run: one with its steps" "$me" "/api/runs/$run_id"
  measure "audit: first page" "$me" "/api/audit"
  measure "audit: by actor" "$me" "/api/audit?actor=olivia"
  measure "audit: by run" "$me" "/api/audit?runId=$run_id"
  measure "audit: by runbook" "$me" "/api/audit?runbook=etcd-restore"
  measure "audit: action + 30 days" "$me" "/api/audit?action=step.failed&from=$from&to=$to"
  measure "audit: actor + action + 30 days" "$me" "/api/audit?actor=oscar&action=login.failed&from=$from&to=$to"
  measure "audit: page 1000 (offset 50,000)" "$me" "/api/audit?page=1000&size=50"
  measure "audit: first page, bcrypt user" "$USER_NAME-bcrypt:$USER_PASS" "/api/audit"

  local verify_times=() verify_body started t
  for _ in 1 2 3; do
    started=$(now)
    verify_body=$(api "$LIFEBOAT_URL/api/audit/verify") || die "verify failed"
    verify_times+=("$(elapsed "$started" "$(now)")")
  done
  [[ "$(jq -r .valid <<<"$verify_body")" == true ]] || die "the seeded chain does not verify: $verify_body"
  log "verify: $verify_body in ${verify_times[*]} s"

  started=$(now)
  api -o "$WORK/export.csv" "$LIFEBOAT_URL/api/audit/export?format=csv" || die "export failed"
  local export_s export_lines export_mib
  export_s=$(elapsed "$started" "$(now)")
  export_lines=$(($(wc -l <"$WORK/export.csv") - 1))
  export_mib=$(awk -v b="$(stat -c %s "$WORK/export.csv")" 'BEGIN { printf "%.1f", b / 1048576 }')
  log "export: $export_lines events, $export_mib MiB of CSV in $export_s s"
  stop_lifeboat

  local over=0 p
  for p in "${P50S[@]:0:11}"; do
    awk -v p="$p" 'BEGIN { exit !(p >= 200) }' && over=$((over + 1))
  done

  local commit dirty=""
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -n "$(git -C "$ROOT" status --porcelain -- src pom.xml bench 2>/dev/null)" ]] && dirty=" + uncommitted changes"
  {
    echo "Lifeboat history benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: bash bench/history.sh --runs $RUNS --events $EVENTS --requests $REQUESTS"
    echo "commit $commit$dirty; $("$JAVA" -version 2>&1 | head -n 1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "seeded: $SEED_LINE; H2 file database; Lifeboat -Xmx$XMX; HTTP Basic with a {noop} password unless said"
    echo "each request $WARMUP times to warm up, then $REQUESTS times; curl's time_total; p50/p95 in ms; target p50 < 200 ms"
    echo
    printf '%-34s %9s %9s %10s  %s\n' request p50_ms p95_ms matches path
    printf '%s' "$ROWS"
    echo
    echo "GET /api/audit/verify: $verify_body; seconds: ${verify_times[*]} (median $(percentile 50 "${verify_times[@]}"))"
    echo "GET /api/audit/export?format=csv: $export_lines events, $export_mib MiB in $export_s s"
    echo "requests with p50 >= 200 ms (bcrypt row not counted): $over"
  } | tee "$results"
  log "results written to ${results#"$ROOT/"}"
}

main
