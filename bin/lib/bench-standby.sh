# shellcheck shell=bash
# The standby lag part of bench backup — sourced by bin/cairn (uses its port, server, backup and api helpers).
#
# standby_lag_p99 ARCHIVE DIR — against the running all-in-one server, which archives its log into ARCHIVE: takes a
# backup there, sets up a standby side instance from it (DIR/standby, ports + 750), and runs sysbench oltp_insert at
# 16 threads for CAIRN_BENCH_STANDBY_SECONDS (30) on the primary while a heartbeat row is committed there every
# 100 ms and the standby is read every 50 ms. A heartbeat's lag runs from its acknowledgement on the primary to the
# first read that sees it on the standby. Prints the p99 in seconds (and the p50 and max on stderr); the standby is
# removed afterwards.
standby_lag_p99() {
  local archive=$1 dir=$2 port side=$2/standby side_offset=$((OFFSET + 750)) seconds=${CAIRN_BENCH_STANDBY_SECONDS:-30}
  port=$(port_mysql 1)
  local side_port=$((6001 + side_offset))
  backup_create "$(api_base)/api/backups" "target=$(urlencode "$archive")" > "$dir/standby-backup.out"
  mariadb -h"$HOST" -P"$port" -uroot -e "DROP DATABASE IF EXISTS sbstandby; CREATE DATABASE sbstandby;
    CREATE TABLE sbstandby.beat (id BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL)" || die "bench backup: cannot reach $HOST:$port"
  growth_sysbench "$port" root "" sbstandby 1000 oltp_insert prepare --threads=4 > "$dir/standby-prepare.log" 2>&1 \
    || die "bench backup: sysbench prepare failed (see $dir/standby-prepare.log)"
  rm -rf "$side"
  CAIRN_VAR=$side CAIRN_PORT_OFFSET=$side_offset CAIRN_BACKUP_ARCHIVE= "$ROOT/bin/cairn" standby up "$archive" \
    > "$dir/standby-up.out" 2>&1 || { cat "$dir/standby-up.out" >&2; die "bench backup: the standby did not start"; }
  say "bench backup: standby lag under sysbench oltp_insert at 16 threads for $seconds s" >&2
  # warm both sides' statement paths first: a fresh JVM plans its first statements slowly
  local i
  for i in $(seq 1 30); do
    mariadb -h"$HOST" -P"$port" -uroot -e "INSERT INTO sbstandby.beat VALUES (-$i, 0)"
    mariadb -h"$HOST" -P"$side_port" -uroot -N -e "SELECT MAX(id) FROM sbstandby.beat" > /dev/null
  done
  local acks=$dir/standby-acks seen=$dir/standby-seen stop=$dir/standby-stop
  : > "$acks"; : > "$seen"; rm -f "$stop"
  ( id=0
    while [ ! -e "$stop" ]; do
      id=$((id + 1))
      mariadb -h"$HOST" -P"$port" -uroot -e "INSERT INTO sbstandby.beat VALUES ($id, 0)" && echo "$id $(date +%s%3N)" >> "$acks"
      sleep 0.1
    done ) &
  local writer=$!
  ( while [ ! -e "$stop" ] || [ "$(tail -n1 "$seen" | cut -d' ' -f1)" != "$(tail -n1 "$acks" | cut -d' ' -f1)" ]; do
      echo "$(mariadb -h"$HOST" -P"$side_port" -uroot -N -e "SELECT COALESCE(MAX(id), 0) FROM sbstandby.beat") $(date +%s%3N)" >> "$seen"
      sleep 0.05
    done ) &
  local reader=$!
  growth_sysbench "$port" root "" sbstandby 1000 oltp_insert run --threads=16 --time="$seconds" > "$dir/standby-run.log" 2>&1 \
    || { touch "$stop"; die "bench backup: sysbench run failed (see $dir/standby-run.log)"; }
  touch "$stop"
  wait "$writer"
  timeout 60 tail --pid="$reader" -f /dev/null || kill "$reader" 2> /dev/null || true
  CAIRN_VAR=$side CAIRN_PORT_OFFSET=$side_offset "$ROOT/bin/cairn" down > /dev/null 2>&1 || true
  # each heartbeat: the first read whose highest id reaches it, minus its acknowledgement (ms), sorted
  awk 'NR == FNR { ack[$1] = $2; n = $1; next }
       { while (done < n && done + 1 <= $1) { done++; if (done in ack) { d = $2 - ack[done]; print (d < 0 ? 0 : d) } } }' \
    "$acks" "$seen" | sort -n > "$dir/standby-lags"
  awk '{ lag[NR] = $1 }
       END {
         if (NR == 0) { print "NA"; exit }
         i = int(NR * 0.99); if (i < NR * 0.99) i++
         printf "standby lag over %d heartbeats: p50 %.2f s, p99 %.2f s, max %.2f s\n", NR, lag[int(NR / 2) + 1] / 1000,
           lag[i] / 1000, lag[NR] / 1000 > "/dev/stderr"
         printf "%.2f\n", lag[i] / 1000
       }' "$dir/standby-lags"
}
