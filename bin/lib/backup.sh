# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say, admin_curl).
# --- backup and restore: backups through the admin API of the first server answering; restore into the
# all-in-one server's fresh data folder -----------------------------------------------------------------

# urlencode TEXT — TEXT as a query parameter value
urlencode() { jq -rn --arg v "$1" '$v|@uri'; }

# backup_target DIR — the folder as the server sees it: absolute (the server runs on this machine)
backup_target() {
  [ -n "${1:-}" ] || die "backup: a TARGET folder is needed"
  case $1 in
    s3://*) die "backup: S3 targets are not supported yet; give a folder (e.g. a mounted bucket)" ;;
  esac
  realpath -m "$1"
}

cmd_backup() {
  command -v jq > /dev/null || die "backup needs jq (apt-get install jq)"
  local action=${1:-} target base
  shift || true
  case $action in
    create|list|verify|prune) target=$(backup_target "${1:-}"); shift ;;
    *) die "usage: backup create TARGET | list TARGET | verify TARGET [ID] | prune TARGET --keep N" ;;
  esac
  base="$(api_base)/api/backups"
  local q; q="target=$(urlencode "$target")"
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
        | jq -r '"kept: " + (.kept | join(" ")) + "\nremoved: " + (.removed | join(" ")) + "\nobjects removed: " + (.objectsRemoved | tostring)' \
        || die "backup prune failed" ;;
  esac
}

# backup_create BASE QUERY — start a backup and draw its progress until it ends
backup_create() {
  local base=$1 q=$2 answer job state width=30
  answer=$(admin_curl -sS --fail-with-body -X POST "$base?$q") || die "backup: $answer"
  while :; do
    job=$(admin_curl -sS --fail-with-body "$base/job") || die "backup: $job"
    state=$(jq -r .state <<< "$job")
    if [ "$(jq -r '.progress != null' <<< "$job")" = true ]; then
      local done total objects bytes filled
      done=$(jq -r .progress.bytesDone <<< "$job"); total=$(jq -r .progress.bytesTotal <<< "$job")
      objects="$(jq -r '.progress.objectsDone' <<< "$job")/$(jq -r '.progress.objectsTotal' <<< "$job") objects"
      bytes="$((done / 1048576))/$((total / 1048576)) MB"
      filled=$(( total > 0 ? done * width / total : width ))
      [ -t 1 ] && printf '\r[%-*s] %s, %s ' "$width" "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$objects" "$bytes"
    fi
    [ "$state" = running ] || break
    sleep 0.5
  done
  [ -t 1 ] && echo
  [ "$state" = done ] || die "backup failed: $(jq -r .error <<< "$job")"
  local id; id=$(jq -r .id <<< "$job")
  echo "backup $id: $(jq -r '"\(.progress.objectsTotal) objects (\(.progress.objectsSkipped) stored already), \(.progress.bytesCopied) bytes copied"' <<< "$job")"
  admin_curl -sS --fail-with-body "$base?$q" | jq -r --arg id "$id" '.[] | select(.id == $id) | "commits up to \(.commitTime) UTC (timestamp \(.commitTs)), \(.commits) logged after its checkpoint"'
}

# restore TARGET [--id ID] [--until 'YYYY-MM-DD HH:MM:SS[.ffffff]' | --until-ts TS] [--force]
cmd_restore() {
  command -v jq > /dev/null || die "restore needs jq (apt-get install jq)"
  local target="" id="" until_ts="" force=0
  while [ $# -gt 0 ]; do
    case $1 in
      --id) id=${2:-}; shift 2 ;;
      --until) [ -n "${2:-}" ] || die "restore: --until 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC)"
        until_ts=$(date -u -d "$2" +%s%6N 2> /dev/null) || die "restore: not a moment: $2"; shift 2 ;;
      --until-ts) [[ ${2:-} =~ ^[0-9]+$ ]] || die "restore: --until-ts takes a commit timestamp (microseconds)"
        until_ts=$2; shift 2 ;;
      --force) force=1; shift ;;
      -*) die "restore: unknown option $1" ;;
      *) target=$(backup_target "$1"); shift ;;
    esac
  done
  [ -n "$target" ] || die "usage: restore TARGET [--id ID] [--until 'YYYY-MM-DD HH:MM:SS[.ffffff]' | --until-ts TS] [--force]"
  [ -d "$target/sets" ] || die "restore: $target holds no backups"
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
