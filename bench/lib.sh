# Shared helpers of the benchmarks in bench/ (sourced, not run): logging, processes we started and
# their cleanup, ports, timing, Lifeboat's jar, a filled etcd, a Lifeboat instance and its API.
#
# The sourcing script sets ROOT, JAR, XMX, RUN_TIMEOUT, FILL_TIMEOUT, USER_NAME and USER_PASS first.
# api() authenticates as $API_AUTH (user:password) when set, else as $USER_NAME:$USER_PASS.

# Options: the usage is the sourcing script's leading comment, from its second line on.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit "${1:-0}"
}

bad_option() {
  echo "unknown option: $1" >&2
  usage 2 >&2
}

# ---------------------------------------------------------------------------------------------
# Housekeeping: logging, processes we started, cleanup on any exit.

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-bench.XXXXXX")
ETCD_PID= LIFEBOAT_PID= JSTAT_PID=
LIFEBOAT_LOG=
CLEANUP_HOOKS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# Stops one process we started: politely, then firmly after $2 seconds.
stop_pid() {
  local pid=$1 grace=${2:-20} i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Registers a command (evaluated as given) that cleanup runs, last registered first, before it
# stops the jstat, Lifeboat and etcd processes of this file and removes $WORK.
on_cleanup() { CLEANUP_HOOKS+=("$1"); }

cleanup() {
  local status=$? i
  for ((i = ${#CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do
    eval "${CLEANUP_HOOKS[i]}" || true
  done
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
    command -v "$tool" >/dev/null || die "'$tool' is missing (the benchmarks use Debian's etcd-server etcd-client curl jq unzip)"
  done
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Median of the numbers given as arguments (mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A TCP port on 127.0.0.1 that nothing listens on (and that we have not handed out already).
USED_PORTS=" "
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 30000))
    [[ "$USED_PORTS" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      USED_PORTS+="$port "
      echo "$port"
      return
    fi
  done
  die "no free port found on 127.0.0.1"
}

# ---------------------------------------------------------------------------------------------
# Lifeboat's jar: built when missing or older than its sources. Other engineers rebuild target/
# while we run, so the benchmark runs a private copy.

build_jar() {
  JAVA_HOME=$("$ROOT/.ci/find-jdk.sh") || die "no JDK 21+ (see .ci/find-jdk.sh)"
  export JAVA_HOME
  JAVA="$JAVA_HOME/bin/java"
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/bpmn" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    log "building $JAR (missing or stale)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "the build failed"
  fi
  cp "$JAR" "$WORK/lifeboat.jar"
  log "Lifeboat jar: $(stat -c '%y' "$JAR" | cut -d. -f1), JDK: $("$JAVA" -version 2>&1 | head -n 1)"
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

# Number of keys at the etcd endpoint $1 (the range's count; --limit keeps the answer small).
key_count() {
  ETCDCTL_API=3 etcdctl --endpoints "$1" --command-timeout=60s get "" --prefix --keys-only --limit 1 -w json |
    jq -r '.count // 0'
}

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
# The host: an OpenSSH sshd on loopback as the current user, its own host key, one client key
# (SSH_PORT, SSH_USER, SSH_KEY, KNOWN_HOSTS for Lifeboat's configuration; on_host for the manual side).

SSHD_PID=
start_sshd() {
  local dir="$WORK/sshd"
  mkdir -p "$dir" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C lifeboat-bench -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -C lifeboat-bench -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  SSH_PORT=$(free_port)
  SSH_USER=$(id -un)
  SSH_KEY="$dir/client_key"
  KNOWN_HOSTS="$dir/known_hosts"
  cat >"$dir/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $SSH_USER
Subsystem sftp internal-sftp
# A server's sshd runs each command with a plain environment, but Debian's bash reads the user's
# ~/.bashrc for any command sshd starts unless it is a nested shell; where that file is a
# developer's (pyenv, cargo, ...) every command then costs tens of milliseconds of start-up (80 ms
# on the machine of the README's figures, against 2.5 ms) for the manual steps and Lifeboat alike.
SetEnv SHLVL=1
EOF
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$KNOWN_HOSTS"
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
  SSHD_PID=$!
  on_cleanup 'stop_pid "$SSHD_PID" 5'
  SSH_OPTS=(-i "$SSH_KEY" -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes
    -o UserKnownHostsFile="$KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR)
  for _ in $(seq 100); do
    on_host true 2>/dev/null && { log "sshd up on 127.0.0.1:$SSH_PORT"; return 0; }
    kill -0 "$SSHD_PID" 2>/dev/null || { tail -n 20 "$dir/sshd.log" >&2; die "sshd exited"; }
    sleep 0.1
  done
  tail -n 20 "$dir/sshd.log" >&2
  die "no SSH login to 127.0.0.1:$SSH_PORT within 10 s"
}

# on_host COMMAND: runs a shell command on the host, as an operator types it after 'ssh host'.
on_host() { ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" "$SSH_USER@127.0.0.1" "$1"; }

# ---------------------------------------------------------------------------------------------
# Lifeboat: a fresh instance with its own data directory, heap figures and log.

api() { curl -sS --max-time 30 -u "${API_AUTH:-$USER_NAME:$USER_PASS}" "$@"; }
health() { curl -s --max-time 2 "$LIFEBOAT_URL$1" 2>/dev/null | jq -r .status 2>/dev/null || true; }

# add_user NAME PASSWORD ROLE: appends Lifeboat's properties for one more user to USER_ARGS.
USER_ARGS=()
add_user() {
  local i=$((${#USER_ARGS[@]} / 3))
  USER_ARGS+=("--lifeboat.security.users[$i].username=$1" "--lifeboat.security.users[$i].password={noop}$2"
    "--lifeboat.security.users[$i].roles=$3")
}

# start_lifeboat TAG LABEL [-- PROPERTY...]: a Lifeboat in $WORK/lifeboat-TAG; LABEL names it in the log.
start_lifeboat() {
  local tag=$1 label=$2 dir="$WORK/lifeboat-$1" port
  shift 2
  [[ "${1:-}" == -- ]] && shift
  port=$(free_port)
  LIFEBOAT_URL="http://127.0.0.1:$port"
  LIFEBOAT_LOG="$dir/lifeboat.log"
  GC_LOG="$dir/gc.log"
  mkdir -p "$dir"
  # -Xlog:gc records every collection's heap before->after; the after-GC peak is the live set.
  # LIFEBOAT_JAVA_OPTS: extra JVM options, e.g. -XX:StartFlightRecording=filename=/tmp/lb.jfr to profile a run.
  # shellcheck disable=SC2086
  "$JAVA" -Xmx$XMX "-Xlog:gc:file=$GC_LOG" ${LIFEBOAT_JAVA_OPTS:-} -jar "$WORK/lifeboat.jar" \
    --server.address=127.0.0.1 --server.port="$port" \
    --lifeboat.data-dir="$dir/data" --lifeboat.engine.embedded.port=0 \
    "$@" \
    --management.endpoint.health.probes.enabled=true \
    >"$LIFEBOAT_LOG" 2>&1 &
  LIFEBOAT_PID=$!
  log "Lifeboat ($label) starting"
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

# Stops the heap sampling, then Lifeboat; sets HEAP_USED and HEAP_LIVE (MiB) for its results.
stop_lifeboat_with_heap() {
  stop_heap_sampling
  HEAP_USED=$(peak_heap_used "$HEAP_SAMPLES")
  stop_lifeboat
  HEAP_LIVE=$(peak_heap_live "$GC_LOG")
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

# An ISO-8601 UTC instant as the API prints it (e.g. 2026-11-30T15:28:13.123456Z) -> epoch seconds.
ISO_JQ='def t: capture("^(?<d>[^.Z]+)(?<f>\\.[0-9]+)?Z$") | ((.d + "Z") | fromdateiso8601) + (("0" + (.f // ".0")) | tonumber);'

# Seconds per step of a run (from its JSON), and the server's createdAt -> finishedAt.
STEPS_JQ="$ISO_JQ"'
  ([.steps[] | "\(.elementId | sub("^Task_"; "")) \((.finishedAt | t) - (.startedAt | t) | . * 100 | round / 100)"]
   | join(", ")) + "; server total " + ((.finishedAt | t) - (.createdAt | t) | . * 100 | round / 100 | tostring)'

# start_run RUNBOOK PARAMETERS_JSON: POST /api/runs; prints the run's id.
start_run() {
  local body id
  body=$(api -X POST -H 'Content-Type: application/json' "$LIFEBOAT_URL/api/runs" \
    -d "{\"runbook\":\"$1\",\"parameters\":$2}") || die "POST /api/runs failed"
  id=$(jq -r '.id // empty' <<<"$body")
  [[ -n "$id" ]] || { echo "$body" >&2; die "Lifeboat did not start the run"; }
  echo "$id"
}

# await_run ID STATUS: polls the run every 0.2 s until it has STATUS; prints its JSON. Any other
# status than RUNNING (or a transient error answer) ends the benchmark with the run and the log.
await_run() {
  local id=$1 want=$2 run status deadline
  deadline=$((SECONDS + RUN_TIMEOUT))
  while :; do
    run=$(api "$LIFEBOAT_URL/api/runs/$id") || die "GET /api/runs/$id failed"
    status=$(jq -r .status <<<"$run")
    [[ "|$want|" == *"|$status|"* ]] && break   # want may list several: WAITING_FOR_APPROVAL|COMPLETED
    case "$status" in
      RUNNING|null|"") ;;   # null: a transient error answer; the deadline bounds the wait
      *) # FAILED, INTERRUPTED, CANCELED, ... and WAITING_FOR_APPROVAL when nobody here approves.
        jq . <<<"$run" >&2
        echo "--- Lifeboat log (tail) ---" >&2
        tail -n 60 "$LIFEBOAT_LOG" >&2
        die "Lifeboat run $id ended $status" ;;
    esac
    ((SECONDS < deadline)) || { jq . <<<"$run" >&2; die "Lifeboat run $id still $status after $RUN_TIMEOUT s"; }
    sleep 0.2
  done
  echo "$run"
}

# finished_at RUN_JSON: when the run finished, in epoch seconds of the machine's clock. A run's
# time is measured from the client's POST to this instant (same machine, same clock), so the 0.2 s
# between polls adds nothing to it, and polling faster would only load Lifeboat while it is timed.
finished_at() { jq -r "$ISO_JQ"' .finishedAt | t' <<<"$1"; }

# alternate RUNS FUNCTION [--warm-up]: calls FUNCTION RUN WHO, WHO being lifeboat and manual, RUNS
# times; who goes first alternates (L M, M L, ...) so drift and noise hit both alike. With --warm-up,
# an untimed round 0 of both comes first (FUNCTION must keep no figure of round 0): Lifeboat is a
# long-running service, so its first run after start-up (the JIT still compiling) is not typical,
# and the manual pipeline gets the same warm caches.
alternate() {
  local r who order first=1
  [[ "${3:-}" == --warm-up ]] && first=0
  for ((r = first; r <= $1; r++)); do
    order="lifeboat manual"
    ((r % 2 == 0)) && order="manual lifeboat"
    for who in $order; do
      "$2" "$r" "$who"
    done
  done
}

# Deletes the backup a run stored, to free the disk (and the page cache's dirty pages) before the next run.
delete_backup() {
  api -X DELETE "$LIFEBOAT_URL/api/backups/$1" >/dev/null || log "note: could not delete backup $1"
}

# The lines of a results header that say what ran where: commit, jar, JDK, etcd, machine.
describe_setup() {
  local commit dirty=""
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -n "$(git -C "$ROOT" status --porcelain -- src pom.xml bpmn 2>/dev/null)" ]] && dirty=" + uncommitted changes in src/, pom.xml or bpmn/"
  echo "commit $commit$dirty; jar built $(stat -c %y "$JAR" | cut -d. -f1); $("$JAVA" -version 2>&1 | head -n 1)"
  echo "$(etcd --version | head -n 1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); kernel $(uname -r)"
}

# Waits until a Lifeboat ($1 = base URL, $2 = pid, $3 = log file) is ready: health is UP as soon as
# the web server listens, before start-up recovery (which marks a run started in that window
# INTERRUPTED); readiness is what counts. Lifeboat must run with health probes enabled.
await_lifeboat() {
  local url=$1 pid=$2 logfile=$3 started
  started=$(now)
  for _ in $(seq 900); do
    if [[ "$(curl -s --max-time 2 "$url/actuator/health/readiness" 2>/dev/null | jq -r .status 2>/dev/null)" == UP ]]; then
      log "Lifeboat up on $url after $(elapsed "$started" "$(now)") s"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$logfile" >&2; die "Lifeboat exited while starting"; }
    sleep 0.2
  done
  tail -n 40 "$logfile" >&2
  die "Lifeboat was not UP within 180 s"
}

# ---------------------------------------------------------------------------------------------
# S3: S3Proxy (bench/S3Server.java on the test classpath) on loopback, a bucket, and s3cmd for it.
# Sets S3_ENDPOINT, S3_BUCKET, S3CMD_CONFIG and S3_PROPS (Lifeboat's properties for it).

S3_PID=
start_s3() {
  local dir="$WORK/s3" port cp
  mkdir -p "$dir"
  (cd "$ROOT" && ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/classpath.txt" >/dev/null) || die "could not resolve the test classpath for S3Proxy"
  cp=$(cat "$dir/classpath.txt")
  port=$(free_port)
  S3_ENDPOINT="http://127.0.0.1:$port"
  "$JAVA" -cp "$cp" "$ROOT/bench/S3Server.java" --port "$port" --dir "$dir/data" \
    --credentials "$dir/credentials" >"$dir/s3proxy.log" 2>&1 &
  S3_PID=$!
  on_cleanup 'stop_pid "$S3_PID" 10'
  for _ in $(seq 300); do
    grep -q listening "$dir/s3proxy.log" 2>/dev/null && break
    kill -0 "$S3_PID" 2>/dev/null || { tail -n 20 "$dir/s3proxy.log" >&2; die "S3Proxy exited"; }
    sleep 0.2
  done
  grep -q listening "$dir/s3proxy.log" || die "S3Proxy did not start in 60 s"
  # The secret goes to files only (mode 0600), never to the command line or the log.
  sed -n 2p "$dir/credentials" >"$dir/secret" && chmod 600 "$dir/secret"
  S3CMD_CONFIG="$dir/s3cmd.cfg"
  {
    echo "[default]"
    echo "access_key = $(sed -n 1p "$dir/credentials")"
    echo "secret_key = $(cat "$dir/secret")"
    echo "host_base = 127.0.0.1:$port"
    echo "host_bucket = 127.0.0.1:$port"
    echo "use_https = False"
    echo "signature_v2 = False"
  } >"$S3CMD_CONFIG"
  chmod 600 "$S3CMD_CONFIG"
  S3_BUCKET=bench
  s3cmd -c "$S3CMD_CONFIG" mb "s3://$S3_BUCKET" >/dev/null || die "s3cmd mb failed"
  S3_PROPS=(--lifeboat.storage.type=s3 --lifeboat.storage.s3.endpoint="$S3_ENDPOINT"
    --lifeboat.storage.s3.bucket="$S3_BUCKET" --lifeboat.storage.s3.credential-ref=bench-s3
    --lifeboat.credentials.bench-s3.username="$(sed -n 1p "$dir/credentials")"
    --lifeboat.credentials.bench-s3.password-file="$dir/secret")
  log "S3Proxy on $S3_ENDPOINT, bucket $S3_BUCKET"
}
