# shellcheck shell=bash
# bench growth — sourced by bin/cairn (uses its port, server and SQL helpers).
#
# Loads sysbench's 4 tables of CAIRN_GROWTH_ROWS rows (default 1,000,000, about 1 GB) through the proxy of
# the running cluster's s1, and the same rows into the MariaDB peer, timing both; then runs
# oltp_point_select and oltp_read_write on 4 x CAIRN_GROWTH_SMALL_ROWS (10,000) rows and on the large
# tables, each side twice and each after the same unmeasured warm-up: small, load, large, small again, large
# again; the faster run of each side counts. On 2 cores the servers' JIT is still warming up minutes into the
# run, and right after the load every block of the large tables is new (read from object storage once, then
# from the block cache's heap and disk tiers) while the cluster still digests the load: a single run straight
# after it measured that, not reads over more data. Each side's first run is printed too. Each server's live
# heap is what G1's concurrent marking finds live (the "next-live" of each Post-Marking summary of
# -Xlog:gc+liveness, switched on through jcmd VM.log for the run). The bench used to
# force a full collection every 30 s to count live objects (jcmd GC.class_histogram): on 2 cores those
# collections paused the servers for 1-3 s, long enough to move the log leader and the TN lease, which failed
# online index builds and slowed the load it was measuring. Last line:
#   growth point_select-vs-small=R1 read_write-vs-small=R2 load-vs-mariadb=R3 max-heap-mb=M
# R1, R2: TPS on the large tables over TPS on the small ones; R3: Cairn's load rate (rows/s) over MariaDB's;
# M: the largest live heap of any server during the run. Also CAIRN_BENCH_THREADS (16),
# CAIRN_BENCH_SECONDS (60 per measured run), CAIRN_BENCH_WARMUP (30 s of unmeasured read_write before each
# side's first runs), CAIRN_GROWTH_KEEP=1 keeps the large tables afterwards.

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

# growth_liveness on|off LOGS SERVERS... — G1's liveness summaries of each server into LOGS/liveness-SERVER.log*.
growth_liveness() {
  local action=$1 logs=$2 s pid
  shift 2
  for s in "$@"; do
    pid=$(pid_of "$s")
    [ -n "$pid" ] || continue
    if [ "$action" = on ]; then
      jcmd "$pid" VM.log output="$logs/liveness-$s.log" what=gc+liveness=trace decorators=time \
        output_options=filecount=50,filesize=20M > /dev/null || die "bench growth: jcmd VM.log failed on $s"
    else
      jcmd "$pid" VM.log output="$logs/liveness-$s.log" what=all=off > /dev/null 2>&1 || true
    fi
  done
}

# growth_live_mb FILES... — the largest live heap (MB) in G1's Post-Marking summaries, or NA.
growth_live_mb() {
  cat "$@" 2>/dev/null | awk '
    /### PHASE Post-Marking/ { marking = 1; next }
    /### PHASE/ { marking = 0 }
    marking && /### SUMMARY/ {
      for (i = 1; i < NF; i++) if ($i == "next-live:" && $(i + 1) + 0 > max) max = $(i + 1) + 0
      marking = 0
    }
    END { if (max == "") print "NA"; else printf "%d\n", max }'
}

# The helpers below read bench_growth's locals (port, user, pass, threads, secs, warmup, rows, logs, tps).
# growth_warmup LABEL DB TABLE_ROWS — unmeasured read_write for CAIRN_BENCH_WARMUP seconds.
growth_warmup() {
  local label=$1 db=$2 size=$3
  [ "$warmup" -gt 0 ] || return 0
  say "bench growth: $label warm-up ($warmup s)"
  growth_sysbench "$port" "$user" "$pass" "$db" "$size" oltp_read_write run --threads="$threads" --time="$warmup" \
    > "$logs/$label-warmup.log" 2>&1 || true
}

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

# growth_best SIDE — keeps SIDE's first run of each workload as tps[SIDE_first_WORKLOAD] and makes
# tps[SIDE_WORKLOAD] the faster of its two runs (the second is labelled SIDE-again).
growth_best() {
  local side=$1 wl first again
  for wl in oltp_point_select oltp_read_write; do
    first=${tps[${side}_$wl]}
    again=${tps[$side-again_$wl]}
    tps[${side}_first_$wl]=$first
    if [ "$again" != NA ] && { [ "$first" = NA ] || awk -v a="$again" -v b="$first" 'BEGIN { exit !(a > b) }'; }; then
      tps[${side}_$wl]=$again
    fi
  done
}

# growth_load SIDE PORT USER PASS — loads the large tables into one side, timed; prints the seconds.
growth_load() {
  local side=$1 p=$2 u=$3 pw=$4 started
  growth_sysbench "$p" "$u" "$pw" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true
  started=$(date +%s.%N)
  growth_sysbench "$p" "$u" "$pw" sbgrowth "$rows" oltp_read_write prepare --threads=4 > "$logs/$side-load.log" 2>&1 \
    || die "bench growth: loading $side failed (see $logs/$side-load.log)"
  # a statement that fails in one of sysbench's threads (a CREATE INDEX) does not always fail the command
  ! grep -q FATAL "$logs/$side-load.log" || die "bench growth: loading $side failed (see $logs/$side-load.log)"
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
  local name value
  for name in rows small threads secs; do
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
  say "bench growth: 4 x $rows rows (and 4 x $small), $threads threads, $secs s per run, servers ${servers[*]}; logs in $logs"

  growth_liveness on "$logs" "${servers[@]}"
  # shellcheck disable=SC2064
  trap "growth_liveness off '$logs' ${servers[*]}" EXIT

  local -A tps=()
  local wl
  say "bench growth: small tables: prepare"
  growth_sysbench "$port" "$user" "$pass" sbsmall "$small" oltp_read_write cleanup > /dev/null 2>&1 || true
  growth_sysbench "$port" "$user" "$pass" sbsmall "$small" oltp_read_write prepare --threads=4 > "$logs/small-prepare.log" 2>&1 \
    || die "bench growth: preparing the small tables failed (see $logs/small-prepare.log)"
  growth_warmup small sbsmall "$small"
  growth_measure small sbsmall "$small"

  local c_secs m_secs
  say "bench growth: loading 4 x $rows rows into Cairn through the proxy"
  c_secs=$(growth_load cairn "$port" "$user" "$pass") || exit 1
  say "bench growth: loading the same rows into MariaDB"
  m_secs=$(growth_load mariadb "$peer_port" "$peer_user" "$peer_pass") || exit 1
  growth_sysbench "$peer_port" "$peer_user" "$peer_pass" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true

  growth_warmup large sbgrowth "$rows"
  growth_measure large sbgrowth "$rows"
  # each side again, now that the servers' JIT is warm (on 2 cores three servers still compile minutes after
  # the warm-up): the faster of each side's two runs counts, so neither side is measured colder than the other
  growth_measure small-again sbsmall "$small"
  growth_measure large-again sbgrowth "$rows"
  growth_best small
  growth_best large
  growth_liveness off "$logs" "${servers[@]}"
  trap - EXIT
  if [ "${CAIRN_GROWTH_KEEP:-}" != 1 ]; then
    growth_sysbench "$port" "$user" "$pass" sbgrowth "$rows" oltp_read_write cleanup > /dev/null 2>&1 || true
  fi

  local total=$((4 * rows)) c_rate m_rate max_heap=NA live per_server=""
  for s in "${servers[@]}"; do
    live=$(growth_live_mb "$logs/liveness-$s.log"*)
    per_server+="$s=$live "
    [ "$live" = NA ] || { [ "$max_heap" != NA ] && [ "$max_heap" -ge "$live" ]; } || max_heap=$live
  done
  c_rate=$(awk -v n="$total" -v s="$c_secs" 'BEGIN { printf "%.0f", n / s }')
  m_rate=$(awk -v n="$total" -v s="$m_secs" 'BEGIN { printf "%.0f", n / s }')
  echo
  echo "load: Cairn $total rows in $c_secs s ($c_rate rows/s, secondary indexes included) | MariaDB $m_secs s ($m_rate rows/s)"
  for wl in oltp_point_select oltp_read_write; do
    echo "${wl#oltp_}: 4 x $small rows ${tps[small_$wl]} tps (first ${tps[small_first_$wl]}, again ${tps[small-again_$wl]})" \
      "| 4 x $rows rows ${tps[large_$wl]} tps (first ${tps[large_first_$wl]}, again ${tps[large-again_$wl]})"
  done
  echo "live heap (MB, G1 marking), largest per server: $per_server"
  echo "growth point_select-vs-small=$(sql_ratio "${tps[large_oltp_point_select]}" "${tps[small_oltp_point_select]}")" \
    "read_write-vs-small=$(sql_ratio "${tps[large_oltp_read_write]}" "${tps[small_oltp_read_write]}")" \
    "load-vs-mariadb=$(sql_ratio "$c_rate" "$m_rate") max-heap-mb=$max_heap"
}
