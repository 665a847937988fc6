# shellcheck shell=bash
# bench backup — sourced by bin/cairn (uses its port, server, backup and sysbench helpers).
#
# Against the running all-in-one server: loads sysbench's 4 tables of CAIRN_BENCH_BACKUP_ROWS rows (250,000)
# into database sbbackup, waits for the checkpoint that covers them, then times
#   - a backup into a fresh folder (bin/cairn backup create; the backup itself, as its CAIRN0120I line says, like
#     the restore below: the command's wall time, printed too, adds its progress polling),
#   - a plain copy of the same objects: their files in the server's object storage folder (cp, then sync; twice, the
#     faster counts),
#   - a restore of that backup into a side instance (the restore step itself, as its CAIRN0122I line says;
#     the side server's start is not counted).
#   - when the server archives its log (started with CAIRN_BACKUP_ARCHIVE), the lag of a standby set up from that
#     archive under sysbench oltp_insert at 16 threads (standby_lag_p99, bin/lib/bench-standby.sh); NA otherwise.
# Last line: backup mb-per-s=B plain-copy-mb-per-s=P backup-vs-copy=R restore-mb-per-s=S standby-lag-p99-s=L
# The folders go under CAIRN_BENCH_BACKUP_DIR (default a fresh /tmp folder).
bench_backup() {
  command -v sysbench > /dev/null || die "bench backup: sysbench is needed"
  command -v jq > /dev/null || die "bench backup: jq is needed"
  alive "$ALL_IN_ONE" || die "bench backup: start the all-in-one server first (bin/cairn up)"
  local rows=${CAIRN_BENCH_BACKUP_ROWS:-250000} dir=${CAIRN_BENCH_BACKUP_DIR:-$(mktemp -d /tmp/cairn-bench-backup-XXXXXX)}
  local port log started
  port=$(port_mysql 1)
  log=$(server_dir "$ALL_IN_ONE")/logs/messages.log
  mkdir -p "$dir"
  say "bench backup: loading 4 x $rows rows (sysbench prepare) into sbbackup"
  mariadb -h"$HOST" -P"$port" -uroot -e "DROP DATABASE IF EXISTS sbbackup; CREATE DATABASE sbbackup" \
    || die "bench backup: cannot reach $HOST:$port"
  growth_sysbench "$port" root "" sbbackup "$rows" oltp_read_write prepare --threads=4 > "$dir/prepare.log" 2>&1 \
    || die "bench backup: sysbench prepare failed (see $dir/prepare.log)"
  local checkpoints; checkpoints=$(grep -c 'CAIRN0106I' "$log" || true)
  say "bench backup: waiting for the checkpoint that covers the load"
  started=$SECONDS
  until [ "$(grep -c 'CAIRN0106I' "$log" || true)" -gt "$checkpoints" ]; do
    [ $((SECONDS - started)) -lt 180 ] || die "bench backup: no checkpoint within 180 s"
    sleep 2
  done

  local target=$dir/target t0 t1 bytes backup_s backup_wall_s backup_id
  t0=$(date +%s.%N)
  backup_create "$(api_base)/api/backups" "target=$(urlencode "$target")" > "$dir/backup.out"
  t1=$(date +%s.%N)
  backup_wall_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  backup_id=$(sed -n 's/^backup \([0-9TZ]*\):.*/\1/p' "$dir/backup.out")
  backup_s=$(grep -o "CAIRN0120I: backup $backup_id .*" "$log" | sed -n 's/.*; \([0-9.]*\) s$/\1/p' | head -n1)
  [ -n "$backup_s" ] || die "bench backup: no CAIRN0120I line for backup '$backup_id' in $log"
  bytes=$(du -sb --apparent-size "$target/objects" "$target/sets" | awk '{s += $1} END {print s}')
  # the plain copy: the same objects (their shard files in the storage folder, which also holds superseded ones),
  # twice, the faster counting: the first can find the disk still busy with the backup's writes
  local copy_s copy_first_s copy_second_s copy_bytes set_json
  set_json=$target/sets/$backup_id/set.json
  copy_first_s=$(plain_copy_seconds "$set_json" "$dir/plain-copy")
  copy_second_s=$(plain_copy_seconds "$set_json" "$dir/plain-copy")
  copy_s=$(awk -v a="$copy_first_s" -v b="$copy_second_s" 'BEGIN { print (b < a ? b : a) }')
  copy_bytes=$(du -sb --apparent-size "$dir/plain-copy" | awk '{print $1}')

  say "bench backup: restoring into a side instance ($dir/side)"
  CAIRN_VAR=$dir/side CAIRN_PORT_OFFSET=$((OFFSET + 700)) "$ROOT/bin/cairn" restore "$target" > "$dir/restore.out" 2>&1 \
    || { cat "$dir/restore.out" >&2; die "bench backup: the restore failed"; }
  local restore_line restore_bytes restore_s
  restore_line=$(grep -o 'CAIRN0122I.*' "$dir/side/usr/servers/$ALL_IN_ONE/logs/messages.log" | head -n1)
  restore_bytes=$(sed -n 's/.*; \([0-9]*\) bytes of backup in \([0-9.]*\) s.*/\1/p' <<< "$restore_line")
  restore_s=$(sed -n 's/.*; \([0-9]*\) bytes of backup in \([0-9.]*\) s.*/\2/p' <<< "$restore_line")
  CAIRN_VAR=$dir/side CAIRN_PORT_OFFSET=$((OFFSET + 700)) "$ROOT/bin/cairn" down > /dev/null 2>&1 || true

  local archive lag=NA
  archive=$(sed -n 's/^CAIRN_BACKUP_ARCHIVE=//p' "$(server_dir "$ALL_IN_ONE")/server.env")
  if [ -n "$archive" ]; then
    lag=$(standby_lag_p99 "$archive" "$dir")
  else
    say "bench backup: the server archives no log (start it with CAIRN_BACKUP_ARCHIVE=FOLDER): no standby lag"
  fi

  local mb=1048576
  echo "backup: $bytes bytes in ${backup_s} s (${backup_wall_s} s with bin/cairn's polling); plain copy of its objects: $copy_bytes bytes in ${copy_first_s} s, again in ${copy_second_s} s;" \
    "restore: $restore_bytes bytes in ${restore_s} s (folders in $dir)"
  awk -v b="$bytes" -v bs="$backup_s" -v c="$copy_bytes" -v cs="$copy_s" -v r="$restore_bytes" -v rs="$restore_s" -v mb=$mb -v lag="$lag" \
    'BEGIN { bm = b / mb / bs; cm = c / mb / cs; rm = (rs > 0 ? r / mb / rs : 0);
             printf "backup mb-per-s=%.1f plain-copy-mb-per-s=%.1f backup-vs-copy=%.2f restore-mb-per-s=%.1f standby-lag-p99-s=%s\n", bm, cm, bm / cm, rm, lag }'
}

# Copies the shard files of the objects a backup's set.json ($1) lists from the all-in-one server's storage folder
# into the folder $2 (made afresh) and makes them durable; prints the seconds.
plain_copy_seconds() {
  local set_json=$1 copy=$2 t0 t1 files=()
  mapfile -t files < <(jq -r '.objects[].name | @uri' "$set_json" | sed "s|^|$VAR/data/$ALL_IN_ONE/storage/shard/|")
  rm -rf "$copy"
  mkdir -p "$copy"
  sync
  t0=$(date +%s.%N)
  cp "${files[@]}" "$copy"
  sync
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
