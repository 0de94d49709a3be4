# Shared by the benchmark scripts (sourced, not run): logging, timing, free ports, stopping the
# processes a script started, and Lifeboat's jar. Expects WORK (a temp directory) and ROOT.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# Stops one process we started: politely, then firmly after $2 seconds.
stop_pid() {
  local pid=$1 grace=${2:-20}
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

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

# Lifeboat's jar: built when missing or older than its sources. Other engineers rebuild target/
# while we run, so the benchmark runs a private copy, $WORK/lifeboat.jar. Sets JAVA_HOME and JAVA.
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
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

# Waits until Lifeboat ($1 = base URL, $2 = pid, $3 = log file) is ready to take requests: health
# is UP as soon as the web server listens, before start-up recovery, so readiness is what counts.
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
