# shellcheck shell=bash
# bench growth — sourced by bin/cairn (uses its port, server and SQL helpers).
#
# Loads sysbench's 4 tables of CAIRN_GROWTH_ROWS rows (default 1,000,000, about 1 GB) through the proxy of
# the running cluster's s1, and the same rows into the MariaDB peer, timing both; then runs
# oltp_point_select and oltp_read_write on the large tables and on 4 x CAIRN_GROWTH_SMALL_ROWS (10,000)
# rows. Every CAIRN_GROWTH_HEAP_EVERY seconds (30) each server's heap is measured after a full collection:
# the live objects jcmd GC.class_histogram counts right after the collection it runs (GC.run followed by
# GC.heap_info also counted what the load allocated between the two calls, up to 300 MB more). Last line:
#   growth point_select-vs-small=R1 read_write-vs-small=R2 load-vs-mariadb=R3 max-heap-mb=M
# R1, R2: TPS on the large tables over TPS on the small ones; R3: Cairn's load rate (rows/s) over MariaDB's;
# M: the largest heap after GC of any server during the run. Also CAIRN_BENCH_THREADS (16),
# CAIRN_BENCH_SECONDS (60 per measured run), CAIRN_BENCH_WARMUP (30 s of unmeasured read_write on the small
# tables first), CAIRN_GROWTH_KEEP=1 keeps the large tables afterwards.

# growth_sysbench PORT USER PASS DB TABLE_ROWS WORKLOAD COMMAND [ARGS...] — sysbench with the common options.
growth_sysbench() {
  local port=$1 user=$2 pass=$3 db=$4 size=$5 wl=$6 cmd=$7
  shift 7
  sysbench "$wl" --db-driver=mysql --mysql-host="$HOST" --mysql-port="$port" --mysql-user="$user" \
    --mysql-password="$pass" --mysql-db="$db" --tables=4 --table-size="$size" --db-ps-mode=auto \
    --percentile=95 "$@" "$cmd"
}

# growth_tps LOG — the transactions per second a sysbench run log reports, or NA.
growth_tps() {
  sed -n 's/^ *transactions: *[0-9]* *(\([0-9.]*\) per sec.)/\1/p' "$1" | head -n1 | grep . || echo NA
}

# growth_heap_sampler OUT EVERY SERVERS... — appends "epoch server live_mb" after a full GC, until killed.
growth_heap_sampler() {
  local out=$1 every=$2 s pid used
  shift 2
  while true; do
    for s in "$@"; do
      pid=$(pid_of "$s")
      [ -n "$pid" ] || continue
      used=$(jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print int($3 / 1024) }')
      [ -n "$used" ] && echo "$(date +%s) $s $((used / 1024))" >> "$out"
    done
    sleep "$every"
  done
}

# The two helpers below read bench_growth's locals (port, user, pass, threads, secs, rows, logs, tps).
# growth_measure LABEL DB TABLE_ROWS — point_select and read_write on Cairn; sets tps[LABEL_WORKLOAD].
growth_measure() {
  local label=$1 db=$2 size=$3 wl
  for wl in oltp_point_select oltp_read_write; do
    say "bench growth: $label $wl"
    growth_sysbench "$port" "$user" "$pass" "$db" "$size" "$wl" run --threads="$threads" --time="$secs" \
      > "$logs/$label-$wl.log" 2>&1 || true
    tps[${label}_$wl]=$(growth_tps "$logs/$label-$wl.log")
  done
}

# growth_load SIDE PORT USER PASS — loads the large tables into one side, timed; prints the seconds.
growth_load() {
  local side=$1 p=$2 u=$3 pw=$4 started
  growth_sysbench "$p" "$u" "$pw" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true
  started=$(date +%s.%N)
  growth_sysbench "$p" "$u" "$pw" sbgrowth "$rows" oltp_read_write prepare --threads=4 > "$logs/$side-load.log" 2>&1 \
    || die "bench growth: loading $side failed (see $logs/$side-load.log)"
  awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

bench_growth() {
  local shared peer
  shared=$(cd "$ROOT/../shared" 2>/dev/null && pwd) || die "bench growth: $ROOT/../shared (the shared benchmark scripts) not found"
  peer=$shared/bench/peer-mariadb.sh
  [ -x "$peer" ] || die "bench growth: $peer not found"
  command -v sysbench > /dev/null || die "bench growth: sysbench is needed ($peer start installs it)"
  command -v jcmd > /dev/null || die "bench growth: jcmd (JDK) is needed to sample the servers' heaps"
  local rows=${CAIRN_GROWTH_ROWS:-1000000} small=${CAIRN_GROWTH_SMALL_ROWS:-10000}
  local threads=${CAIRN_BENCH_THREADS:-16} secs=${CAIRN_BENCH_SECONDS:-60} warmup=${CAIRN_BENCH_WARMUP:-30}
  local every=${CAIRN_GROWTH_HEAP_EVERY:-30} name value
  for name in rows small threads secs every; do
    value=${!name}
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "bench growth: $name must be a positive integer, not '$value'"
  done
  [[ $warmup =~ ^[0-9]+$ ]] || die "bench growth: CAIRN_BENCH_WARMUP must be a number of seconds, not '$warmup'"
  local servers=() s
  mapfile -t servers < <(cluster_servers)
  [ ${#servers[@]} -gt 0 ] || die "bench growth: no cluster here; start one with 'bin/cairn cluster up'"
  for s in "${servers[@]}"; do alive "$s" || die "bench growth: $s is not running ('bin/cairn cluster status')"; done
  local port user=root pass="" peer_port=${PEER_PORT:-3307} peer_user=bench peer_pass=bench
  port=$(port_mysql 1)
  bench_sql_check "$port" "$user" "$pass"
  if ! sql_client "$peer_port" "$peer_user" "$peer_pass" -N -e 'SELECT 1' > /dev/null 2>&1; then
    say "bench growth: starting the MariaDB peer ($peer start)"
    "$peer" start || die "bench growth: the MariaDB peer did not start"
  fi
  local logs=${SB_LOGDIR:-/tmp/sysbench-logs/cairn-bench-growth-$(date +%Y%m%d-%H%M%S)} err db
  mkdir -p "$logs"
  for db in sbsmall sbgrowth; do
    err=$(sql_client "$port" "$user" "$pass" -e "CREATE DATABASE IF NOT EXISTS $db" 2>&1) \
      || die "bench growth: CREATE DATABASE $db on Cairn failed: $(sql_error "$err")"
  done
  err=$(sql_client "$peer_port" "$peer_user" "$peer_pass" -e "CREATE DATABASE IF NOT EXISTS sbgrowth" 2>&1) \
    || die "bench growth: CREATE DATABASE sbgrowth on the peer failed: $(sql_error "$err")"
  say "bench growth: 4 x $rows rows (and 4 x $small), $threads threads, $secs s per run, servers ${servers[*]}, heap every $every s; logs in $logs"

  growth_heap_sampler "$logs/heap.tsv" "$every" "${servers[@]}" &
  local sampler=$!
  # shellcheck disable=SC2064
  trap "kill $sampler 2>/dev/null" EXIT

  local -A tps=()
  local wl
  say "bench growth: small tables: prepare"
  growth_sysbench "$port" "$user" "$pass" sbsmall "$small" oltp_read_write cleanup > /dev/null 2>&1 || true
  growth_sysbench "$port" "$user" "$pass" sbsmall "$small" oltp_read_write prepare --threads=4 > "$logs/small-prepare.log" 2>&1 \
    || die "bench growth: preparing the small tables failed (see $logs/small-prepare.log)"
  if [ "$warmup" -gt 0 ]; then
    say "bench growth: warm-up ($warmup s)"
    growth_sysbench "$port" "$user" "$pass" sbsmall "$small" oltp_read_write run --threads="$threads" --time="$warmup" \
      > "$logs/warmup.log" 2>&1 || true
  fi
  growth_measure small sbsmall "$small"

  local c_secs m_secs
  say "bench growth: loading 4 x $rows rows into Cairn through the proxy"
  c_secs=$(growth_load cairn "$port" "$user" "$pass") || exit 1
  say "bench growth: loading the same rows into MariaDB"
  m_secs=$(growth_load mariadb "$peer_port" "$peer_user" "$peer_pass") || exit 1
  growth_sysbench "$peer_port" "$peer_user" "$peer_pass" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true

  growth_measure large sbgrowth "$rows"
  kill "$sampler" 2>/dev/null || true
  trap - EXIT
  if [ "${CAIRN_GROWTH_KEEP:-}" != 1 ]; then
    growth_sysbench "$port" "$user" "$pass" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true
  fi

  local total=$((4 * rows)) c_rate m_rate max_heap
  c_rate=$(awk -v n="$total" -v s="$c_secs" 'BEGIN { printf "%.0f", n / s }')
  m_rate=$(awk -v n="$total" -v s="$m_secs" 'BEGIN { printf "%.0f", n / s }')
  max_heap=$(awk 'BEGIN { m = "NA" } { if (m == "NA" || $3 > m) m = $3 } END { print m }' "$logs/heap.tsv" 2>/dev/null || echo NA)
  echo
  echo "load: Cairn $total rows in $c_secs s ($c_rate rows/s, secondary indexes included) | MariaDB $m_secs s ($m_rate rows/s)"
  for wl in oltp_point_select oltp_read_write; do
    echo "${wl#oltp_}: 4 x $small rows ${tps[small_$wl]} tps | 4 x $rows rows ${tps[large_$wl]} tps"
  done
  echo "heap after GC (MB), largest per server: $(awk '{ if ($3 > m[$2]) m[$2] = $3 } END { for (s in m) printf "%s=%s ", s, m[s] }' \
    "$logs/heap.tsv" 2>/dev/null)"
  echo "growth point_select-vs-small=$(sql_ratio "${tps[large_oltp_point_select]}" "${tps[small_oltp_point_select]}")" \
    "read_write-vs-small=$(sql_ratio "${tps[large_oltp_read_write]}" "${tps[small_oltp_read_write]}")" \
    "load-vs-mariadb=$(sql_ratio "$c_rate" "$m_rate") max-heap-mb=$max_heap"
}
