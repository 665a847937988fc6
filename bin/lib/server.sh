# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- one server --------------------------------------------------------------------------------
server_dir() { echo "$WLP_USER_DIR/servers/$1"; }
# The Liberty server NAME of this state folder: the PID in Liberty's pid file, only while that PID is
# still that server (its command line runs this runtime's launcher for NAME).
pid_of() {
  local pid
  pid=$(cat "$WLP_USER_DIR/servers/.pid/$1.pid" 2>/dev/null || true)
  [ -n "$pid" ] && cmdline_has "$pid" "$WLP/bin/tools/ws-server.jar $1" && echo "$pid"
  return 0
}

# cmdline_has PID TEXT — whether process PID runs with TEXT in its command line (arguments joined by spaces).
cmdline_has() {
  local cmd
  cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline") || return 1
  [[ " $cmd " == *" $2 "* ]]
}
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
http_port_of() { sed -n 's/^CAIRN_HTTP_PORT=//p' "$(server_dir "$1")/server.env"; }

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

# check_ports NAME PROPERTY=PORT... — a taken port stops start-up with a one-line error.
check_ports() {
  local name=$1; shift
  local pair
  for pair in "$@"; do
    port_free "${pair#*=}" || die "server $name: ${pair%%=*}: $HOST:${pair#*=} is in use"
  done
}

# write_server NAME INDEX ROLES HZ_MEMBERS LOG_PEERS [EXTRA_ENV] — lay out the server folder from
# liberty-config; EXTRA_ENV holds more server.env lines (a cluster's storage endpoints and keys).
write_server() {
  local name=$1 index=$2 roles=$3 members=$4 peers=$5 extra=${6:-}
  local dir data archive="" archive_credentials=""
  dir=$(server_dir "$name")
  data=$VAR/data/$name
  # the log archive's target (a folder made absolute, or an S3 address) and an S3 target's credentials file
  [ -z "${CAIRN_BACKUP_ARCHIVE:-}" ] || archive=$(backup_target "$CAIRN_BACKUP_ARCHIVE")
  [ -z "${CAIRN_BACKUP_CREDENTIALS:-}" ] || archive_credentials=$(backup_credentials "$CAIRN_BACKUP_CREDENTIALS")
  [ -z "$archive" ] || backup_needs_credentials "$archive" "$archive_credentials"
  # a standby's primary archive (CAIRN_STANDBY_OF, with CAIRN_STANDBY_CREDENTIALS for S3)
  local standby_of="" standby_credentials=""
  [ -z "${CAIRN_STANDBY_OF:-}" ] || standby_of=$(backup_target "$CAIRN_STANDBY_OF")
  [ -z "${CAIRN_STANDBY_CREDENTIALS:-}" ] || standby_credentials=$(backup_credentials "$CAIRN_STANDBY_CREDENTIALS")
  [ -z "$standby_of" ] || backup_needs_credentials "$standby_of" "$standby_credentials"
  mkdir -p "$dir/apps" "$data"
  cp "$ROOT/liberty-config/server.xml" "$ROOT/liberty-config/cairn.xml" "$ROOT/liberty-config/jvm.options" "$dir/"
  # internal HTTPS only on servers given the cluster PKI (the all-in-one server stays plain on loopback)
  if grep -q '^CAIRN_CLUSTER_TLS_KEY_STORE=' <<< "$extra"; then
    cp "$ROOT/liberty-config/cluster-tls.xml" "$dir/"
  else
    rm -f "$dir/cluster-tls.xml"
  fi
  cp "$EAR" "$dir/apps/cairn.ear"
  (umask 077 && cat > "$dir/server.env" <<EOF
CAIRN_NODE_NAME=$name
CAIRN_ROLES=$roles
CAIRN_HOST=$HOST
CAIRN_DATA_DIR=$data
CAIRN_CLUSTER_NAME=cairn-$(basename "$VAR")-$OFFSET
CAIRN_PROXY_PORT=$(port_mysql "$index")
CAIRN_CN_PORT=$(port_cn "$index")
CAIRN_HTTP_PORT=$(port_http "$index")
CAIRN_LOG_PORT=$(port_log "$index")
CAIRN_HAZELCAST_PORT=$(port_hz "$index")
CAIRN_HAZELCAST_MEMBERS=$members
CAIRN_LOG_PEERS=$peers
CAIRN_LOG_SELF=$name
CAIRN_ADMIN_PASSWORD=$(cat "$VAR/admin-password")
CAIRN_ADMIN_READONLY_PASSWORD=$(cat "$VAR/admin-readonly-password")
${extra}
CAIRN_CLUSTER_SECRET=$(cat "$VAR/cluster-secret")
${archive:+CAIRN_BACKUP_ARCHIVE=$archive}
${archive_credentials:+CAIRN_BACKUP_CREDENTIALS=$archive_credentials}
${standby_of:+CAIRN_STANDBY_OF=$standby_of}
${standby_credentials:+CAIRN_STANDBY_CREDENTIALS=$standby_credentials}
EOF
  )
}

start_server() {
  local name=$1 index=$2
  alive "$name" && { say "$name is already running"; return 0; }
  check_ports "$name" "cairn.http.port=$(port_http "$index")" "cairn.proxy.port=$(port_mysql "$index")" \
    "cairn.cn.port=$(port_cn "$index")" "cairn.log.port=$(port_log "$index")" "cairn.hazelcast.port=$(port_hz "$index")"
  local https; https=$(https_port_of "$name")
  [ -z "$https" ] || check_ports "$name" "cairn.https.port=$https"
  [ -f "$(server_dir "$name")/cluster-tls.xml" ] && check_ports "$name" "cairn.internal.port=$(port_internal "$index")"
  # the last run's log is kept aside (evidence after a kill), so readiness checks read only this run's
  local log; log=$(server_dir "$name")/logs/messages.log
  if [ -s "$log" ]; then mv "$log" "${log%.log}-$(date +%Y%m%d-%H%M%S).log"; fi
  local cg; cg=$(cgroup_dir "$name")
  # Started inside the server's own cgroup, so its sockets carry it from the first one on (what
  # 'cluster isolate' matches); without a writable cgroup2 mount the server just starts.
  ( if [ -n "$cg" ] && mkdir -p "$cg" 2>/dev/null; then echo "$BASHPID" > "$cg/cgroup.procs" 2>/dev/null || true; fi
    exec "$WLP/bin/server" start "$name" ) > "$VAR/$name.start.out" 2>&1 || {
    cat "$VAR/$name.start.out" >&2
    die "$name: Liberty did not start"
  }
}

# wait_ready NAME... — until every named server answers /health/ready with UP.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) name pending
  while :; do
    pending=()
    for name in "$@"; do
      local log; log=$(server_dir "$name")/logs/messages.log
      if [ -f "$log" ] && grep -q 'CAIRN0001E' "$log"; then
        local line; line=$(grep -o 'CAIRN0001E.*' "$log" | head -n1)
        "$WLP/bin/server" stop "$name" > /dev/null 2>&1 || true
        die "server $name: $line"
      fi
      if [ -f "$log" ] && grep -qE 'CWWKZ0002E|CWWKZ0106E' "$log"; then
        die "server $name: the application did not start: $(grep -oE '(CWWKZ0002E|CWWKZ0106E).*' "$log" | tail -n1 | cut -c1-300)"
      fi
      alive "$name" || die "server $name: the process exited; see $log"
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$(http_port_of "$name")/health/ready")" = 200 ] || pending+=("$name")
    done
    [ ${#pending[@]} -eq 0 ] && return 0
    [ $SECONDS -lt $deadline ] || die "not ready after ${READY_TIMEOUT}s: ${pending[*]} (see $WLP_USER_DIR/servers/NAME/logs/messages.log)"
    sleep 1
  done
}

stop_server() {
  local name=$1 pid
  pid=$(pid_of "$name")
  [ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null || true
  if alive "$name"; then
    "$WLP/bin/server" stop "$name" > /dev/null 2>&1 || true
  fi
  if alive "$name"; then
    kill -9 "$(pid_of "$name")" 2>/dev/null || true
  fi
}

describe() {
  local name=$1 state=stopped port
  if alive "$name"; then
    port=$(http_port_of "$name")
    state=running
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$port/health/ready")" = 200 ]; then
      state="running, ready"
    elif ps -o stat= -p "$(pid_of "$name")" | grep -q T; then
      state="paused"
    else
      state="running, not ready"
    fi
  fi
  printf '%-6s %-20s %s\n' "$name" "$state" "$(server_dir "$name")/logs/messages.log"
}
