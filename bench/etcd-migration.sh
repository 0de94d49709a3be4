#!/usr/bin/env bash
# Benchmark of Lifeboat's etcd-migration runbook against what an operator does by hand.
#
#   bash bench/etcd-migration.sh [--size 256] [--runs 3] [--level N]
#
# It starts a real single-member source etcd on loopback filled with SIZE MiB of Kubernetes-like
# objects, a local sshd (the "host", key auth, host key verified) and one Lifeboat, then times,
# alternately and --runs times each, the migration onto a fresh target member (empty data, new
# ports, started and stopped by a service script over SSH, as systemctl would):
#   lifeboat  an OPERATOR posts an etcd-migration run; the time until WAITING_FOR_APPROVAL and the
#             time from an APPROVER's decision until COMPLETED are added up (the approval itself,
#             the wait for a person, is reported apart);
#   manual    etcdctl snapshot save + sha256sum, scp to the host, sha256sum there, stop, data moved
#             aside, etcdctl snapshot restore, start, wait for etcdctl endpoint health.
# One untimed migration of each warms up first (Lifeboat's JIT, the page cache); its figures are shown apart.
# Both targets must then hold as many keys as the source (checked outside the timing). It reports
# medians, the ratio lifeboat/manual (target <= 1.2) and Lifeboat's peak heap (-Xmx256m).
# --level sets the gzip level of the archive Lifeboat keeps (the run's gzipLevel; the runbook's default
# is 1): the manual steps keep no archive, so this is the one piece of work only Lifeboat does.
#
# Everything (etcd members, sshd, Lifeboat, temp files) is removed on exit, also on failure or
# Ctrl-C. Only 127.0.0.1 is used. Results go to stdout and bench/results/etcd-migration-<date>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/lifeboat-0.1.0-SNAPSHOT.jar"
SIZE=256
RUNS=3
LEVEL=        # the runbook's default gzipLevel
XMX=256m
RUN_TIMEOUT=1800      # seconds: one Lifeboat run (each half) or one manual migration, at most
FILL_TIMEOUT=1800     # seconds: filling the source etcd, at most
USER_NAME=operator
USER_PASS=operator
APPROVER_AUTH=approver:approver
CREDENTIAL_REF=bench-host

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --level) LEVEL=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) bad_option "$1" ;;
  esac
done
[[ "$SIZE" =~ ^[1-9][0-9]*$ ]] || { echo "--size wants MiB, e.g. 256" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 2; }
[[ -z "$LEVEL" || "$LEVEL" =~ ^[1-9]$ ]] || { echo "--level wants a gzip level 1-9, e.g. 6" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Targets: a fresh, empty single-member etcd per migration, run through etcd-service.sh start|stop.

TARGETS=0
new_target() {
  local n=$((++TARGETS)) client peer
  T_DIR="$WORK/target-$n"
  T_NAME="target$n"
  client=$(free_port)
  peer=$(free_port)
  T_CLIENT="http://127.0.0.1:$client"
  T_PEER="http://127.0.0.1:$peer"
  T_SERVICE="$T_DIR/etcd-service.sh"
  mkdir -p "$T_DIR/data"
  cat >"$T_SERVICE" <<EOF
#!/bin/sh
# start|stop the etcd member '$T_NAME', like a service manager would
set -e
PIDFILE=$T_DIR/etcd.pid
case "\$1" in
  start)
    setsid nohup $(command -v etcd) --name $T_NAME --data-dir $T_DIR/data \\
      --listen-client-urls $T_CLIENT --advertise-client-urls $T_CLIENT \\
      --listen-peer-urls $T_PEER --initial-advertise-peer-urls $T_PEER --initial-cluster $T_NAME=$T_PEER \\
      --quota-backend-bytes $((8 << 30)) >>$T_DIR/etcd.log 2>&1 </dev/null &
    echo \$! > "\$PIDFILE" ;;
  stop)
    [ -f "\$PIDFILE" ] || exit 0
    PID=\$(cat "\$PIDFILE")
    kill "\$PID" 2>/dev/null || true
    for i in \$(seq 1 100); do kill -0 "\$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "\$PID" 2>/dev/null || true
    rm -f "\$PIDFILE" ;;
  *) echo "usage: \$0 start|stop" >&2; exit 2 ;;
esac
EOF
  chmod 755 "$T_SERVICE"
  on_cleanup "[[ ! -x '$T_SERVICE' ]] || '$T_SERVICE' stop"
  "$T_SERVICE" start
  for _ in $(seq 150); do
    ETCDCTL_API=3 etcdctl --endpoints "$T_CLIENT" endpoint health >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  tail -n 20 "$T_DIR/etcd.log" >&2
  die "target member $T_NAME did not become healthy in 30 s"
}

# Outside the timing: the target holds every key of the source; then it goes, with its disk.
check_and_remove_target() {
  local who=$1 keys
  keys=$(key_count "$T_CLIENT")
  [[ "$keys" == "$SOURCE_KEYS" ]] || die "$who: target $T_NAME holds $keys keys, the source $SOURCE_KEYS"
  "$T_SERVICE" stop
  rm -rf "$T_DIR"
}

# ---------------------------------------------------------------------------------------------

# The approver's open task for run $1 (GET /api/tasks), waiting briefly for it to show.
task_of_run() {
  local task
  for _ in $(seq 100); do
    task=$(API_AUTH=$APPROVER_AUTH api "$LIFEBOAT_URL/api/tasks" |
      jq -r --arg run "$1" '[.[] | select((.runId | tostring) == $run) | .id][0] // empty') || true
    [[ -n "$task" ]] && { echo "$task"; return 0; }
    sleep 0.1
  done
  die "no approval task for run $1 in GET /api/tasks"
}

# One Lifeboat migration onto the target new_target made. Prints "total before wait after step timings...".
lifeboat_run() {
  local params t0 t1 t2 t3 id task decision run
  params=$(jq -cn --arg src "$ETCD_URL" --arg host "127.0.0.1:$SSH_PORT" --arg ref "$CREDENTIAL_REF" \
    --arg dir "$T_DIR/data" --arg name "$T_NAME" --arg client "$T_CLIENT" --arg peer "$T_PEER" \
    --arg stop "$T_SERVICE stop" --arg start "$T_SERVICE start" \
    '{sourceEndpoints: $src, host: $host, credentialRef: $ref, dataDir: $dir, name: $name, clientUrl: $client,
      peerUrl: $peer, stopCommand: $stop, startCommand: $start, reason: "benchmark"}')
  [[ -z "$LEVEL" ]] || params=$(jq -c --arg level "$LEVEL" '. + {gzipLevel: $level}' <<<"$params")
  t0=$(now)
  id=$(start_run etcd-migration "$params")
  run=$(await_run "$id" "WAITING_FOR_APPROVAL|COMPLETED")
  t1=$(now)
  if [[ "$(jq -r .status <<<"$run")" == COMPLETED ]]; then
    # The checks proved the fresh target empty: no approval is asked (procedure 002), nothing to wait for.
    t1=$(finished_at "$run")
    t2=$t1 t3=$t1
  else
    task=$(task_of_run "$id")
    decision=$(API_AUTH=$APPROVER_AUTH api -X POST -H 'Content-Type: application/json' \
      "$LIFEBOAT_URL/api/tasks/$task/complete" -d '{"decision":"APPROVE","comment":"bench"}') ||
      die "POST /api/tasks/$task/complete failed"
    t2=$(now)
    jq -e '.id' <<<"$decision" >/dev/null 2>&1 || { echo "$decision" >&2; die "the approver could not approve task $task"; }
    run=$(await_run "$id" COMPLETED)
    t3=$(finished_at "$run")
  fi
  [[ "$(jq -r .outputs.clustersMatch <<<"$run")" == true ]] || { jq .outputs <<<"$run" >&2; die "run $id: clustersMatch is not true"; }
  check_and_remove_target lifeboat
  delete_backup "$(jq -r .outputs.backupId <<<"$run")"
  echo "$(awk -v a="$(elapsed "$t0" "$t1")" -v b="$(elapsed "$t2" "$t3")" 'BEGIN { printf "%.2f", a + b }')" \
    "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2") $(elapsed "$t2" "$t3")" \
    "$(jq -r "$STEPS_JQ" <<<"$run" 2>/dev/null || echo '?')"
}

# One manual migration onto the target new_target made, as an operator types it (stage timestamps cost microseconds).
# Prints "seconds snapshot_bytes stage timings...".
manual_run() {
  local dir="$WORK/manual" started finished snapshot
  rm -rf "$dir" && mkdir -p "$dir"
  started=$(now)
  (
    cd "$dir"
    local t=() sha remote upload="$T_DIR/snapshot.db" token
    token="bench-$T_NAME"
    t+=("$(now)")
    timeout "$RUN_TIMEOUT" env ETCDCTL_API=3 etcdctl --endpoints "$ETCD_URL" snapshot save snap.db >snapshot.log 2>&1
    sha=$(sha256sum snap.db | cut -d' ' -f1)
    t+=("$(now)")
    timeout "$RUN_TIMEOUT" scp "${SSH_OPTS[@]}" -P "$SSH_PORT" -q snap.db "$SSH_USER@127.0.0.1:$upload"
    t+=("$(now)")
    remote=$(on_host "sha256sum '$upload'" | cut -d' ' -f1)
    [[ "$remote" == "$sha" ]] || { echo "the copy on the host hashes to $remote, expected $sha" >&2; exit 1; }
    t+=("$(now)")
    on_host "'$T_SERVICE' stop && mv '$T_DIR/data' '$T_DIR/data.old'"
    t+=("$(now)")
    on_host "ETCDCTL_API=3 etcdctl snapshot restore '$upload' --data-dir '$T_DIR/data' --name '$T_NAME' \
      --initial-cluster '$T_NAME=$T_PEER' --initial-advertise-peer-urls '$T_PEER' \
      --initial-cluster-token '$token'" >restore.log 2>&1
    t+=("$(now)")
    on_host "'$T_SERVICE' start"
    on_host "for i in \$(seq 600); do ETCDCTL_API=3 etcdctl --endpoints '$T_CLIENT' endpoint health >/dev/null 2>&1 \
      && exit 0; sleep 0.2; done; exit 1"
    t+=("$(now)")
    echo "save+sha256 $(elapsed "${t[0]}" "${t[1]}"), scp $(elapsed "${t[1]}" "${t[2]}")," \
      "sha256-on-host $(elapsed "${t[2]}" "${t[3]}"), stop+mv $(elapsed "${t[3]}" "${t[4]}")," \
      "restore $(elapsed "${t[4]}" "${t[5]}"), start+health $(elapsed "${t[5]}" "${t[6]}")" >stages
  ) || { cat "$dir/snapshot.log" "$dir/restore.log" >&2 2>/dev/null || true; die "the manual migration failed"; }
  finished=$(now)
  snapshot=$(stat -c %s "$dir/snap.db")
  check_and_remove_target manual
  echo "$(elapsed "$started" "$finished") $snapshot $(cat "$dir/stages")"
  rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------------

main() {
  need etcd etcdctl curl jq sha256sum awk timeout ssh scp ssh-keygen setsid /usr/sbin/sshd
  build_jar
  mkdir -p "$ROOT/bench/results"
  local stamp results
  stamp=$(date +%Y-%m-%d-%H%M%S)
  results="$ROOT/bench/results/etcd-migration-$stamp.txt"

  start_sshd
  start_etcd "$SIZE"
  fill_etcd "$SIZE"
  SOURCE_KEYS=$(key_count "$ETCD_URL")
  log "source: $SOURCE_KEYS keys"

  add_user "$USER_NAME" "$USER_PASS" OPERATOR
  add_user "${APPROVER_AUTH%%:*}" "${APPROVER_AUTH#*:}" APPROVER
  start_lifeboat migration "etcd-migration" -- \
    --lifeboat.ssh.known-hosts-file="$KNOWN_HOSTS" \
    "--lifeboat.credentials.$CREDENTIAL_REF.username=$SSH_USER" \
    "--lifeboat.credentials.$CREDENTIAL_REF.private-key-file=$SSH_KEY" \
    "${USER_ARGS[@]}"
  start_heap_sampling "$WORK/lifeboat-migration/jstat.txt"

  local total=() before=() wait=() after=() man=() snap_bytes=0 run_lines="" warm_up=()
  one_run() {
    local r=$1 out t b w a steps
    new_target   # here, not in the $(...) below, so that cleanup knows it
    if [[ $2 == lifeboat ]]; then
      out=$(lifeboat_run)
      read -r t b w a steps <<<"$out"
      if ((r == 0)); then
        warm_up+=("lifeboat $t s")
        log "size $SIZE MiB, untimed warm-up: lifeboat $t s ($steps)"
        return
      fi
      total+=("$t") before+=("$b") wait+=("$w") after+=("$a")
      log "size $SIZE MiB, run $r: lifeboat $t s (before approval $b s + after $a s; approval $w s) ($steps)"
      run_lines+="  run $r lifeboat: $t s = before $b + after $a (approval $w); steps (s): $steps"$'\n'
    else
      out=$(manual_run)
      read -r t snap_bytes steps <<<"$out"
      if ((r == 0)); then
        warm_up+=("manual $t s")
        log "size $SIZE MiB, untimed warm-up: manual   $t s ($steps)"
        return
      fi
      man+=("$t")
      log "size $SIZE MiB, run $r: manual   $t s ($steps)"
      run_lines+="  run $r manual:   $t s; stages (s): $steps"$'\n'
    fi
  }
  alternate "$RUNS" one_run --warm-up
  stop_lifeboat_with_heap
  local lb_med man_med
  lb_med=$(median "${total[@]}")
  man_med=$(median "${man[@]}")

  local format='%-8s %8s %9s %8s %17s %15s %14s %15s %15s %6s %14s %14s\n'
  {
    echo "Lifeboat etcd-migration benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: bash bench/etcd-migration.sh --size $SIZE --runs $RUNS${LEVEL:+ --level $LEVEL}"
    describe_setup
    echo "lifeboat = etcd-migration by an OPERATOR: POST /api/runs -> WAITING_FOR_APPROVAL (before) + an APPROVER's"
    echo "           POST /api/tasks/{id}/complete -> the run's finishedAt (after), polled every 0.2 s; lifeboat_s = before + after,"
    echo "           approval_s (finding the task and approving it) apart; gzip level ${LEVEL:-1 (the default)} for the archive;"
    echo "           a fresh target holds 0 keys, so the checks prove it empty and no approval is asked (before = all)"
    echo "manual   = etcdctl snapshot save + sha256sum, scp, sha256sum on the host (ssh), stop + mv data aside,"
    echo "           etcdctl snapshot restore on the host, start + etcdctl endpoint health (ssh); no archive kept"
    echo "each migration onto a fresh, empty target member; both checked to hold all $SOURCE_KEYS source keys"
    echo "medians of $RUNS alternating runs after one untimed warm-up migration of each (Lifeboat is a long-running"
    echo "service: its first run after start-up, the JIT still compiling, is shown apart); sizes in MiB;"
    echo "ratio = lifeboat/manual, target <= 1.20"
    echo "Lifeboat heap, -Xmx$XMX: peak used (jstat every 200 ms during the runs, garbage included) and peak live (after GC, GC log)"
    echo
    # shellcheck disable=SC2059 # the format is ours
    printf "$format" size_MiB db_MiB snap_MiB keys lifeboat_median_s before_approval after_approval approval_median \
      manual_median_s ratio heap_peak_MiB heap_live_MiB
    # shellcheck disable=SC2059
    printf "$format" "$SIZE" "$(mib "$DB_BYTES")" "$(mib "$snap_bytes")" "$SOURCE_KEYS" "$lb_med" "$(median "${before[@]}")" \
      "$(median "${after[@]}")" "$(median "${wait[@]}")" "$man_med" "$(ratio "$lb_med" "$man_med")" "$HEAP_USED" "$HEAP_LIVE"
    echo
    echo "size $SIZE MiB: lifeboat s: ${total[*]}; manual s: ${man[*]}; untimed warm-up: $(printf '%s; ' "${warm_up[@]}")fill ${FILL_SECONDS} s"
    printf '%s' "$run_lines"
  } | tee "$results"
  log "results written to ${results#"$ROOT/"}"
  stop_etcd "$SIZE"
}

main
