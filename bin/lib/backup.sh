# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say, admin_curl).
# --- backup and restore: backups through the admin API of the first server answering; restore into the
# all-in-one server's fresh data folder -----------------------------------------------------------------

# urlencode TEXT — TEXT as a query parameter value
urlencode() { jq -rn --arg v "$1" '$v|@uri'; }

# is_s3_target TARGET — whether TARGET is an S3 address rather than a folder
is_s3_target() {
  case ${1:-} in s3://*|s3+http://*|s3+https://*) return 0 ;; esac
  return 1
}

# backup_target TARGET — the target as the server sees it (the server runs on this machine): an S3 address
# (s3+http://HOST:PORT/BUCKET/PREFIX, s3+https://HOST/BUCKET/PREFIX, s3://BUCKET/PREFIX) as given, a folder absolute
backup_target() {
  [ -n "${1:-}" ] || die "backup: a TARGET (a folder or an S3 address) is needed"
  if is_s3_target "$1"; then
    [[ $1 != *@* ]] || die "backup: keys never go in the S3 address; put them in a file given with --credentials FILE"
    printf '%s\n' "$1"
    return
  fi
  case $1 in
    *://*) die "backup: a TARGET is a folder, s3+http://HOST:PORT/BUCKET/PREFIX, s3+https://HOST/BUCKET/PREFIX or s3://BUCKET/PREFIX" ;;
  esac
  realpath -m "$1"
}

# backup_credentials FILE — an S3 target's credentials file (access-key=…, secret-key=…) as the server sees it:
# absolute, and readable here (the keys stay in the file: only its path travels)
backup_credentials() {
  [ -n "${1:-}" ] || die "backup: --credentials FILE (a properties file: access-key=…, secret-key=…)"
  [ -f "$1" ] && [ -r "$1" ] || die "backup: the credentials file $1 is not a readable file"
  realpath "$1"
}

# backup_needs_credentials TARGET CREDENTIALS — an S3 target takes a credentials file, a folder none
backup_needs_credentials() {
  if is_s3_target "$1"; then
    [ -n "$2" ] || die "backup: the S3 target $1 needs --credentials FILE (access-key=…, secret-key=…)"
  else
    [ -z "$2" ] || die "backup: --credentials is for S3 targets; $1 is a folder"
  fi
}

cmd_backup() {
  command -v jq > /dev/null || die "backup needs jq (apt-get install jq)"
  local action=${1:-} target="" credentials="" base args=()
  shift || true
  case $action in
    create|list|verify|prune) ;;
    *) die "usage: backup create TARGET | list TARGET | verify TARGET [ID] | prune TARGET --keep N [--credentials FILE]" ;;
  esac
  while [ $# -gt 0 ]; do
    case $1 in
      --credentials) credentials=$(backup_credentials "${2:-}"); shift 2 ;;
      *) if [ -z "$target" ]; then target=$(backup_target "$1"); else args+=("$1"); fi; shift ;;
    esac
  done
  [ -n "$target" ] || backup_target ""
  backup_needs_credentials "$target" "$credentials"
  set -- "${args[@]}"
  base="$(api_base)/api/backups"
  local q; q="target=$(urlencode "$target")${credentials:+&credentials=$(urlencode "$credentials")}"
  case $action in
    create) backup_create "$base" "$q" ;;
    list)
      admin_curl -sS --fail-with-body "$base?$q" | jq -r \
        '(["ID","COMMITS UP TO (UTC)","OBJECTS","MB","LOGGED COMMITS"] | @tsv),
         (.[] | [.id, .commitTime, .objects, (.bytes / 1048576 * 10 | floor / 10), .commits] | @tsv)' \
        | column -t -s $'\t' || die "backup list failed" ;;
    verify)
      local ids id failed=0 report
      if [ -n "${1:-}" ]; then ids=$1; else
        ids=$(admin_curl -sS --fail-with-body "$base?$q" | jq -r '.[].id') || die "backup verify: cannot list $target"
      fi
      [ -n "$ids" ] || die "backup verify: no backup in $target"
      for id in $ids; do
        report=$(admin_curl -sS --fail-with-body -X POST "$base/verify?$q&id=$(urlencode "$id")") \
          || die "backup verify $id failed: $report"
        if [ "$(jq -r '.problems | length' <<< "$report")" = 0 ]; then
          echo "$id: OK ($(jq -r '.files' <<< "$report") files, $(jq -r '.bytes' <<< "$report") bytes re-read)"
        else
          failed=1
          echo "$id: DAMAGED"; jq -r '.problems[] | "  " + .' <<< "$report"
        fi
      done
      return "$failed" ;;
    prune)
      [ "${1:-}" = --keep ] && [[ ${2:-} =~ ^[0-9]+$ ]] || die "usage: backup prune TARGET --keep N"
      admin_curl -sS --fail-with-body -X POST "$base/prune?$q&keep=$2" \
        | jq -r '"kept: " + (.kept | join(" ")) + "\nremoved: " + (.removed | join(" ")) + "\nobjects removed: " + (.objectsRemoved | tostring) + "\narchived log segments removed: " + (.archiveSegmentsRemoved | tostring)' \
        || die "backup prune failed" ;;
  esac
}

# backup_create BASE QUERY — start a backup and draw its progress until it ends
backup_create() {
  local base=$1 q=$2 answer job state width=30
  answer=$(admin_curl -sS --fail-with-body -X POST "$base?$q") || die "backup: $answer"
  while :; do
    job=$(admin_curl -sS --fail-with-body "$base/job") || die "backup: $job"
    # one jq per poll: a backup of a few hundred MB takes seconds, and each tool started costs a share of that
    local done total objects_done objects_total filled
    read -r state done total objects_done objects_total < <(jq -r \
      '[.state, (.progress // {} | .bytesDone, .bytesTotal, .objectsDone, .objectsTotal)] | map(. // "-") | @tsv' <<< "$job")
    if [ "$done" != - ] && [ -t 1 ]; then
      filled=$(( total > 0 ? done * width / total : width ))
      printf '\r[%-*s] %s/%s objects, %s/%s MB ' "$width" "$(printf '%*s' "$filled" '' | tr ' ' '#')" \
        "$objects_done" "$objects_total" "$((done / 1048576))" "$((total / 1048576))"
    fi
    [ "$state" = running ] || break
    sleep 0.2
  done
  [ -t 1 ] && echo
  [ "$state" = done ] || die "backup failed: $(jq -r .error <<< "$job")"
  local id; id=$(jq -r .id <<< "$job")
  echo "backup $id: $(jq -r '"\(.progress.objectsTotal) objects (\(.progress.objectsSkipped) stored already), \(.progress.bytesCopied) bytes copied"' <<< "$job")"
  admin_curl -sS --fail-with-body "$base?$q" | jq -r --arg id "$id" '.[] | select(.id == $id) | "commits up to \(.commitTime) UTC (timestamp \(.commitTs)), \(.commits) logged after its checkpoint"'
}

# restore TARGET [--credentials FILE] [--id ID] [--until 'YYYY-MM-DD HH:MM:SS[.ffffff]' | --until-ts TS] [--force]
cmd_restore() {
  command -v jq > /dev/null || die "restore needs jq (apt-get install jq)"
  local target="" credentials="" id="" until_ts="" force=0 database="" table="" as="" into=""
  while [ $# -gt 0 ]; do
    case $1 in
      --credentials) credentials=$(backup_credentials "${2:-}"); shift 2 ;;
      --id) id=${2:-}; shift 2 ;;
      --database) database=${2:-}; shift 2 ;;
      --table) table=${2:-}; shift 2 ;;
      --as) as=${2:-}; shift 2 ;;
      --into) into=${2:-}; shift 2 ;;
      --until) [ -n "${2:-}" ] || die "restore: --until 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC)"
        until_ts=$(date -u -d "$2" +%s%6N 2> /dev/null) || die "restore: not a moment: $2"; shift 2 ;;
      --until-ts) [[ ${2:-} =~ ^[0-9]+$ ]] || die "restore: --until-ts takes a commit timestamp (microseconds)"
        until_ts=$2; shift 2 ;;
      --force) force=1; shift ;;
      -*) die "restore: unknown option $1" ;;
      *) target=$(backup_target "$1"); shift ;;
    esac
  done
  [ -n "$target" ] || die "usage: restore TARGET [--credentials FILE] [--id ID] [--until 'YYYY-MM-DD HH:MM:SS[.ffffff]' | --until-ts TS] [--force | --database DB | --table DB.T] [--as NAME] [--into HOST:PORT]"
  backup_needs_credentials "$target" "$credentials"
  is_s3_target "$target" || [ -d "$target/sets" ] || die "restore: $target holds no backups"
  if [ -n "$database$table" ]; then
    restore_into_running "$target" "$id" "$until_ts" "$database" "$table" "$as" "$into" "$credentials"
    return
  fi
  ensure_built
  alive "$ALL_IN_ONE" && die "restore: the all-in-one server runs; 'bin/cairn down' first"
  [ -z "$(cluster_servers)" ] || ! any_alive $(cluster_servers) || die "restore: a cluster is running here; 'bin/cairn cluster down' first"
  local data=$VAR/data/$ALL_IN_ONE
  if [ -d "$data" ] && [ -n "$(ls -A "$data" 2> /dev/null)" ]; then
    [ "$force" = 1 ] || die "restore: $data is not empty; --force replaces what it holds"
    rm -rf "$data"
  fi
  ensure_https_password
  write_server "$ALL_IN_ONE" 1 proxy,cn,tn,log "$HOST:$(port_hz 1)" "$ALL_IN_ONE=$HOST:$(port_log 1)" \
    "$(https_env 1)
CAIRN_RESTORE_FROM=$target
CAIRN_RESTORE_CREDENTIALS=$credentials
CAIRN_RESTORE_ID=$id
CAIRN_RESTORE_UNTIL_TS=$until_ts"
  mkdir -p "$(server_dir "$ALL_IN_ONE")/logs"
  local log; log=$(server_dir "$ALL_IN_ONE")/logs/messages.log
  start_server "$ALL_IN_ONE" 1
  # the restore runs as the TN starts: its outcome is a log line, CAIRN0122I or the role's failure
  local deadline=$((SECONDS + READY_TIMEOUT))
  until grep -qE 'CAIRN0122I|CAIRN0004E' "$log" 2> /dev/null; do
    alive "$ALL_IN_ONE" || die "restore: the server exited; see $log"
    [ $SECONDS -lt $deadline ] || die "restore: no outcome after ${READY_TIMEOUT}s; see $log"
    sleep 1
  done
  # later starts of this data folder are plain ones
  sed -i '/^CAIRN_RESTORE_/d' "$(server_dir "$ALL_IN_ONE")/server.env"
  if ! grep -q 'CAIRN0122I' "$log"; then
    local why; why=$(grep -o 'CAIRN0004E.*' "$log" | head -n1)
    stop_server "$ALL_IN_ONE"
    die "restore failed: $why"
  fi
  wait_ready "$ALL_IN_ONE"
  export_certificates
  grep -o 'CAIRN0122I.*' "$log" | head -n1 | sed 's/^CAIRN0122I: /cairn: /'
  restore_report
}

# restore_report — every table of the restored server with its rows
restore_report() {
  local tables db table
  tables=$(mariadb -h"$HOST" -P"$(port_mysql 1)" -uroot -N -B -e \
    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1, 2") \
    || die "restore: the restored server does not answer SQL"
  echo "tables: $(grep -c . <<< "$tables" || true)"
  while IFS=$'\t' read -r db table; do
    [ -n "$db" ] || continue
    echo "  $db.$table: $(mariadb -h"$HOST" -P"$(port_mysql 1)" -uroot -N -B -e "SELECT COUNT(*) FROM \`$db\`.\`$table\`") rows"
  done <<< "$tables"
}

# restore_into_running TARGET ID UNTIL_TS DATABASE TABLE AS INTO CREDENTIALS — one database (--database DB) or one table
# (--table DB.T) of a backup, copied under a new name (--as; default NAME_restored) into a running server
# (--into HOST:PORT; default this folder's all-in-one): the backup is restored into a side instance of its own
# (CAIRN_VAR=$VAR/restore-side, ports + 500), the part is dumped from there with mariadb-dump and loaded; the
# side instance is removed afterwards. The name must be free: nothing that exists is replaced.
restore_into_running() {
  local target=$1 id=$2 until_ts=$3 database=$4 table=$5 as=$6 into=$7 credentials=${8:-}
  command -v mariadb-dump > /dev/null || die "restore: mariadb-dump is needed (apt-get install mariadb-client)"
  [ -z "$database" ] || [ -z "$table" ] || die "restore: --database or --table, not both"
  [ -n "$into" ] || into=$HOST:$(port_mysql 1)
  local host=${into%:*} port=${into##*:} live=(mariadb -h"${into%:*}" -P"${into##*:}" -uroot ${CAIRN_ROOT_PASSWORD:+-p"$CAIRN_ROOT_PASSWORD"})
  "${live[@]}" -e 'SELECT 1' > /dev/null 2>&1 || die "restore: no server answers SQL at $host:$port (--into HOST:PORT)"
  local db name new_db new_name
  if [ -n "$table" ]; then
    [[ $table == *.* ]] || die "restore: --table DB.TABLE"
    db=${table%%.*}; name=${table#*.}
    [ -n "$as" ] || as=$db.${name}_restored
    [[ $as == *.* ]] || as=$db.$as
    new_db=${as%%.*}; new_name=${as#*.}
  else
    db=$database; new_db=${as:-${database}_restored}
  fi
  for n in "$db" "$new_db" ${name:+"$name"} ${new_name:+"$new_name"}; do
    [[ $n =~ ^[A-Za-z0-9_$]+$ ]] || die "restore: '$n' is not a plain name"
  done
  local exists
  if [ -n "$table" ]; then
    exists=$("${live[@]}" -N -B -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$new_db' AND table_name = '$new_name'")
  else
    exists=$("${live[@]}" -N -B -e "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '$new_db'")
  fi
  [ "$exists" = 0 ] || die "restore: $new_db${new_name:+.$new_name} exists already on $host:$port; choose another name with --as"

  local side=$VAR/restore-side side_offset=$((OFFSET + 500)) args=(restore "$target" --force)
  [ -z "$id" ] || args+=(--id "$id")
  [ -z "$credentials" ] || args+=(--credentials "$credentials")
  [ -z "$until_ts" ] || args+=(--until-ts "$until_ts")
  rm -rf "$side"
  say "restore: restoring the backup into a side instance ($side, ports + $side_offset)"
  local out=$VAR/restore-side.out
  CAIRN_VAR=$side CAIRN_PORT_OFFSET=$side_offset CAIRN_BACKUP_ARCHIVE= CAIRN_BACKUP_CREDENTIALS= "$ROOT/bin/cairn" "${args[@]}" > "$out" 2>&1 \
    || { cat "$out" >&2; rm -rf "$side"; die "restore: the side instance could not be restored"; }
  grep '^cairn: restored' "$out" || true
  local side_port=$((6001 + side_offset)) dump=$VAR/restore-side.sql rc=0
  if [ -n "$table" ]; then
    mariadb-dump -h"$HOST" -P"$side_port" -uroot --single-transaction --no-tablespaces --skip-add-drop-table \
      --skip-add-locks --skip-disable-keys --skip-triggers "$db" "$name" > "$dump" || rc=$?
    # the table's own name in its CREATE TABLE and INSERTs (mariadb-dump quotes names with backquotes)
    sed -i -E "s/^(CREATE TABLE|INSERT INTO) \`$name\`/\\1 \`$new_name\`/" "$dump"
  else
    mariadb-dump -h"$HOST" -P"$side_port" -uroot --single-transaction --no-tablespaces --skip-add-drop-table \
      --skip-add-locks --skip-disable-keys --skip-triggers "$db" > "$dump" || rc=$?
  fi
  CAIRN_VAR=$side CAIRN_PORT_OFFSET=$side_offset "$ROOT/bin/cairn" down > /dev/null 2>&1 || true
  rm -rf "$side"
  [ "$rc" = 0 ] || die "restore: mariadb-dump of $db${name:+.$name} from the side instance failed"
  "${live[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$new_db\`" && "${live[@]}" "$new_db" < "$dump" \
    || die "restore: loading $dump into $host:$port failed"
  rm -f "$dump"
  local tables t
  if [ -n "$table" ]; then tables=$new_name; else
    tables=$("${live[@]}" -N -B -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '$new_db' AND table_type = 'BASE TABLE' ORDER BY 1")
  fi
  echo "restored into $host:$port:"
  for t in $tables; do
    echo "  $new_db.$t: $("${live[@]}" -N -B -e "SELECT COUNT(*) FROM \`$new_db\`.\`$t\`") rows"
  done
}
