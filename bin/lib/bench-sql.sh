# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- bench sql: sysbench against the running Cairn and the MariaDB peer, in the same run -------
SQL_WORKLOADS="oltp_point_select oltp_insert oltp_read_write"

# sql_client PORT USER PASS ARGS... — the mariadb client on HOST:PORT, time-bounded. The password goes
# in MYSQL_PWD (readable by this user only), not on the command line.
sql_client() {
  local port=$1 user=$2 pass=$3
  shift 3
  MYSQL_PWD=$pass timeout 30 mariadb --no-defaults --connect-timeout=10 -h "$HOST" -P "$port" "-u$user" "$@" < /dev/null
}

# sql_error TEXT — the line of a client's output that names the error (it may echo the statement first).
sql_error() {
  local line
  line=$(grep -m1 '^ERROR' <<< "$1" || grep -v '^-*$' <<< "$1" | tail -n1) || true
  echo "${line:-no answer within 30 s}"
}

# sql_ratio A B — A/B to 2 decimals; NA unless both are numbers and B > 0.
sql_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a ~ /^[0-9]+(\.[0-9]+)?$/ && b ~ /^[0-9]+(\.[0-9]+)?$/ && b + 0 > 0) printf "%.2f\n", a / b
    else print "NA" }'
}

bench_sql() {
  local shared sb peer
  shared=$(cd "$ROOT/../shared" 2>/dev/null && pwd) || die "bench sql: $ROOT/../shared (the shared benchmark scripts) not found"
  sb=$shared/bench/sysbench.sh
  peer=$shared/bench/peer-mariadb.sh
  [ -x "$sb" ] || die "bench sql: $sb not found"
  [ -x "$peer" ] || die "bench sql: $peer not found"
  local port=${CAIRN_BENCH_PORT:-$(port_mysql 1)} user=${CAIRN_BENCH_USER:-root} pass=${CAIRN_BENCH_PASSWORD:-}
  local peer_port=${PEER_PORT:-3307} peer_user=bench peer_pass=bench
  local threads=${CAIRN_BENCH_THREADS:-16} secs=${CAIRN_BENCH_SECONDS:-30} db=${SB_DB:-sbtest}
  local logs=${SB_LOGDIR:-/tmp/sysbench-logs/cairn-bench-sql-$(date +%Y%m%d-%H%M%S)}
  [[ $threads =~ ^[1-9][0-9]*$ ]] || die "bench sql: CAIRN_BENCH_THREADS must be a positive integer, not '$threads'"
  [[ $secs =~ ^[1-9][0-9]*$ ]] || die "bench sql: CAIRN_BENCH_SECONDS must be a positive integer, not '$secs'"
  # Server-side prepared statements only unless asked: one pass per workload keeps the run short.
  export SB_PS_MODES=${SB_PS_MODES:-auto} SB_TABLES=${SB_TABLES:-4} SB_TABLE_SIZE=${SB_TABLE_SIZE:-10000}
  local modes mode
  read -ra modes <<< "$SB_PS_MODES"
  for mode in "${modes[@]}"; do
    [[ $mode =~ ^(auto|disable)$ ]] || die "bench sql: SB_PS_MODES takes auto and/or disable, not '$mode'"
  done
  # The final line compares one mode per workload: auto (prepared statements) when it ran, else the first.
  local summary_mode=${modes[0]}
  [[ " ${modes[*]} " == *" auto "* ]] && summary_mode=auto

  # Cairn must already run: fail fast, before the peer is installed or started.
  # shellcheck disable=SC2016  # $0 $1 are expanded by the inner bash
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$port" 2>/dev/null \
    || die "bench sql: Cairn is not running: nothing listens on $HOST:$port ('bin/cairn up' first, or set CAIRN_BENCH_PORT)"
  local checked=""
  if command -v mariadb > /dev/null; then
    bench_sql_check "$port" "$user" "$pass"
    checked=1
  fi
  if ! "$peer" status > /dev/null 2>&1; then
    say "bench sql: starting the MariaDB peer ($peer start)"
    "$peer" start || die "bench sql: the MariaDB peer did not start (see /tmp/peer-mariadb/error.log)"
  fi
  [ -n "$checked" ] || bench_sql_check "$port" "$user" "$pass"
  # sysbench.sh's own CREATE DATABASE would pass a bare -p for an empty password; create it here instead.
  local err
  err=$(sql_client "$port" "$user" "$pass" -e "CREATE DATABASE IF NOT EXISTS \`$db\`" 2>&1) \
    || echo "cairn: bench sql: warning: CREATE DATABASE $db on Cairn failed: $(sql_error "$err")" >&2
  err=$(sql_client "$peer_port" "$peer_user" "$peer_pass" -e "CREATE DATABASE IF NOT EXISTS \`$db\`" 2>&1) \
    || echo "cairn: bench sql: warning: CREATE DATABASE $db on the peer failed: $(sql_error "$err")" >&2

  say "bench sql: ${SB_TABLES} tables x ${SB_TABLE_SIZE} rows, $threads threads, ${secs} s per run, ps modes: ${modes[*]}; logs in $logs"
  # Interleaved per workload (Cairn, MariaDB, next workload), not all of Cairn then all of MariaDB: the two
  # runs behind each ratio are then a minute or so apart, so the changing load of this shared machine
  # (builds, other benchmarks) weighs on both sides of a ratio alike. The two sides never run at once.
  local -A res=()
  local wl side n=0 total=6 rc out line args=()
  # Both sides first run unmeasured: a freshly started JVM is still compiling its hot paths.
  local warmup=${CAIRN_BENCH_WARMUP:-30}
  [[ $warmup =~ ^[0-9]+$ ]] || die "bench sql: CAIRN_BENCH_WARMUP must be a number of seconds, not '$warmup'"
  if [ "$warmup" -gt 0 ]; then
    for side in cairn mariadb; do
      say "bench sql: warm-up ($warmup s) $side"
      if [ "$side" = cairn ]; then args=("$port" "$user" "$pass"); else args=("$peer_port" "$peer_user" "$peer_pass"); fi
      SB_WORKLOADS=oltp_read_write SB_PS_MODES=auto SB_DB=$db SB_CREATE_DB=0 SB_LOGDIR=$logs/warmup-$side \
        "$sb" "$HOST" "${args[@]}" "$threads" "$warmup" < /dev/null > /dev/null || true
    done
  fi
  for wl in $SQL_WORKLOADS; do
    for side in cairn mariadb; do
      n=$((n + 1))
      say "bench sql: [$n/$total] $side $wl"
      if [ "$side" = cairn ]; then args=("$port" "$user" "$pass"); else args=("$peer_port" "$peer_user" "$peer_pass"); fi
      rc=0
      out=$(SB_WORKLOADS=$wl SB_DB=$db SB_CREATE_DB=0 SB_LOGDIR=$logs/$side \
            "$sb" "$HOST" "${args[@]}" "$threads" "$secs" < /dev/null) || rc=$?
      for mode in "${modes[@]}"; do
        res["$side $wl/ps=$mode"]="$wl/ps=$mode $threads NA NA NA FAIL(sysbench.sh,rc=$rc)"
      done
      while read -r line; do
        case $line in '#'* | '') continue ;; esac
        res["$side ${line%% *}"]=$line
      done <<< "$out"
    done
  done

  local name thr tps qps p95 errs
  for side in cairn mariadb; do
    echo
    if [ "$side" = cairn ]; then echo "Cairn $HOST:$port (user $user)"; else echo "MariaDB peer $HOST:$peer_port (user $peer_user)"; fi
    printf '  %-28s %7s %10s %10s %8s  %-8s %s\n' workload threads tps qps p95_ms errors err_txn%
    for wl in $SQL_WORKLOADS; do
      for mode in "${modes[@]}"; do
        read -r name thr tps qps p95 errs <<< "${res["$side $wl/ps=$mode"]}"
        printf '  %-28s %7s %10s %10s %8s  %-8s %s\n' "$name" "$thr" "$tps" "$qps" "$p95" "$errs" \
          "$(error_share "$errs" "$tps" "$secs")"
      done
    done
  done
  echo
  echo "The MariaDB peer is left running; stop it with $peer stop"
  echo

  local c_tps c_p95 c_err m_tps m_p95 m_err ratio summary="sql" failed=""
  for wl in $SQL_WORKLOADS; do
    for mode in "${modes[@]}"; do
      read -r name thr c_tps qps c_p95 c_err <<< "${res["cairn $wl/ps=$mode"]}"
      read -r name thr m_tps qps m_p95 m_err <<< "${res["mariadb $wl/ps=$mode"]}"
      ratio=$(sql_ratio "$c_tps" "$m_tps")
      case "$c_err $m_err" in *FAIL*) ratio=NA ;; esac
      printf '%-26s Cairn %s tps, p95 %s ms, ignored errors %s (%s%% of transactions) | MariaDB %s tps, p95 %s ms, ignored errors %s (%s%%) | Cairn/MariaDB %s\n' \
        "${wl#oltp_} (ps=$mode)" "$c_tps" "$c_p95" "$c_err" "$(error_share "$c_err" "$c_tps" "$secs")" \
        "$m_tps" "$m_p95" "$m_err" "$(error_share "$m_err" "$m_tps" "$secs")" "$ratio"
      if [ "$mode" = "$summary_mode" ]; then
        summary+=" ${wl#oltp_}=$ratio"
        [ "$ratio" != NA ] || failed=1
      fi
    done
  done
  echo "$summary"
  [ -z "$failed" ]
}

# error_share ERRORS TPS SECONDS — the percentage of sysbench transactions that ended in an ignored
# error (sysbench ran them again): errors / (committed + errors); NA when a figure is missing.
error_share() {
  awk -v e="$1" -v t="$2" -v s="$3" 'BEGIN {
    if (e !~ /^[0-9]+$/ || t !~ /^[0-9.]+$/) { print "NA"; exit }
    n = t * s + e; printf "%.2f", (n > 0 ? 100 * e / n : 0) }'
}

# bench_sql_check PORT USER PASS — Cairn answers SELECT 1, or a one-line error.
bench_sql_check() {
  local err
  err=$(sql_client "$1" "$2" "$3" -N -e 'SELECT 1' 2>&1) \
    || die "bench sql: Cairn does not answer SQL on $HOST:$1 as $2: $(sql_error "$err")"
}
