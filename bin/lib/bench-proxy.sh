# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- bench proxy: point selects through the proxy vs directly to the compute node, same server -----
bench_proxy() {
  local shared sb
  shared=$(cd "$ROOT/../shared" 2>/dev/null && pwd) || die "bench proxy: $ROOT/../shared (the shared benchmark scripts) not found"
  sb=$shared/bench/sysbench.sh
  [ -x "$sb" ] || die "bench proxy: $sb not found"
  local proxy_port direct_port user=root pass=""
  proxy_port=$(port_mysql 1)
  direct_port=$(port_cn 1)
  local threads=${CAIRN_BENCH_THREADS:-16} secs=${CAIRN_BENCH_SECONDS:-10} rounds=${CAIRN_BENCH_ROUNDS:-4}
  local warmup=${CAIRN_BENCH_WARMUP:-10} db=${SB_DB:-sbtest} mode=${SB_PS_MODES:-auto}
  local logs=${SB_LOGDIR:-/tmp/sysbench-logs/cairn-bench-proxy-$(date +%Y%m%d-%H%M%S)}
  local name value
  for name in threads secs rounds; do
    value=${!name}
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "bench proxy: $name must be a positive integer, not '$value'"
  done
  [[ $warmup =~ ^[0-9]+$ ]] || die "bench proxy: CAIRN_BENCH_WARMUP must be a number of seconds, not '$warmup'"
  [[ $mode =~ ^(auto|disable)$ ]] || die "bench proxy: SB_PS_MODES takes one of auto, disable, not '$mode'"
  command -v mariadb > /dev/null || die "bench proxy: the mariadb client is needed"
  bench_sql_check "$proxy_port" "$user" "$pass"
  bench_sql_check "$direct_port" "$user" "$pass"
  local err
  err=$(sql_client "$proxy_port" "$user" "$pass" -e "CREATE DATABASE IF NOT EXISTS \`$db\`" 2>&1) \
    || die "bench proxy: CREATE DATABASE $db failed: $(sql_error "$err")"
  export SB_TABLES=${SB_TABLES:-1} SB_TABLE_SIZE=${SB_TABLE_SIZE:-10000}
  say "bench proxy: oltp_point_select ps=$mode, ${SB_TABLES} x ${SB_TABLE_SIZE} rows, $threads threads, $rounds x ${secs} s per side; load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $logs"

  # sides alternate (proxy, direct, direct, proxy, …) so a change of this machine's load weighs on both alike
  local side port round out line tps
  local -A sum=([proxy]=0 [direct]=0) runs=([proxy]=0 [direct]=0)
  if [ "$warmup" -gt 0 ]; then
    for side in proxy direct; do
      if [ "$side" = proxy ]; then port=$proxy_port; else port=$direct_port; fi
      say "bench proxy: warm-up ($warmup s) $side"
      SB_WORKLOADS=oltp_point_select SB_PS_MODES=$mode SB_DB=$db SB_CREATE_DB=0 SB_LOGDIR=$logs/warmup-$side \
        "$sb" "$HOST" "$port" "$user" "$pass" "$threads" "$warmup" < /dev/null > /dev/null || true
    done
  fi
  local order
  for ((round = 1; round <= rounds; round++)); do
    if ((round % 2)); then order="proxy direct"; else order="direct proxy"; fi
    for side in $order; do
      if [ "$side" = proxy ]; then port=$proxy_port; else port=$direct_port; fi
      out=$(SB_WORKLOADS=oltp_point_select SB_PS_MODES=$mode SB_DB=$db SB_CREATE_DB=0 \
            SB_LOGDIR=$logs/$side-$round "$sb" "$HOST" "$port" "$user" "$pass" "$threads" "$secs" < /dev/null) || true
      line=$(grep -v '^#' <<< "$out" | tail -n1)
      read -r _ _ tps _ _ _ <<< "$line"
      echo "round $round $side $HOST:$port: ${line:-no result}"
      if [[ $tps =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ $line != *FAIL* ]]; then
        sum[$side]=$(awk -v a="${sum[$side]}" -v b="$tps" 'BEGIN { print a + b }')
        runs[$side]=$((runs[$side] + 1))
      fi
    done
  done
  local proxy_tps=NA direct_tps=NA
  [ "${runs[proxy]}" -eq "$rounds" ] && proxy_tps=$(awk -v s="${sum[proxy]}" -v n="$rounds" 'BEGIN { printf "%.2f", s / n }')
  [ "${runs[direct]}" -eq "$rounds" ] && direct_tps=$(awk -v s="${sum[direct]}" -v n="$rounds" 'BEGIN { printf "%.2f", s / n }')
  echo "via proxy $proxy_tps tps, direct to the compute node $direct_tps tps (means of $rounds runs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local ratio
  ratio=$(sql_ratio "$proxy_tps" "$direct_tps")
  echo "proxy overhead-ratio=$ratio"
  [ "$ratio" != NA ]
}
