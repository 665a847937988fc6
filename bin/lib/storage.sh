# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- object storage of a local cluster: S3_COUNT S3Proxy processes, erasure coded 4+2 ----------
S3_COUNT=6
S3_DATA_SHARDS=4
S3_PARITY_SHARDS=2
S3_JAVA_OPTS=${CAIRN_S3_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC}

s3_dir() { echo "$VAR/s3/$1"; }
# The S3Proxy of endpoint N: the PID in its pid file, only while that PID is still that process (its
# command line names the endpoint's own configuration file), never a PID the system has given away.
s3_pid() {
  local pid
  pid=$(cat "$(s3_dir "$1")/pid" 2>/dev/null || true)
  [ -n "$pid" ] && cmdline_has "$pid" "--properties $(s3_dir "$1")/s3proxy.conf" && echo "$pid"
  return 0
}
s3_alive() { local pid; pid=$(s3_pid "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
s3_answers() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$HOST:$(port_s3 "$1")/")" != 000 ]; }

# The standalone S3Proxy jar, fetched from Maven Central like the Liberty runtime.
s3proxy_jar() {
  local version jar
  version=$(s3proxy_version)
  jar=${MAVEN_REPO:-$HOME/.m2/repository}/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar
  if [ ! -f "$jar" ]; then
    say "fetching S3Proxy $version from Maven Central" >&2
    mvn -q -B dependency:get -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" >&2 \
      || die "cannot fetch S3Proxy $version"
  fi
  echo "$jar"
}

# Access and secret key of the cluster's S3 endpoints, generated once per state folder (never in git).
ensure_storage_credentials() {
  local f
  for f in storage-access-key storage-secret-key; do
    if [ ! -f "$VAR/$f" ]; then
      mkdir -p "$VAR"
      (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$VAR/$f")
    fi
  done
}

# start_s3 N — start S3 endpoint N (filesystem backend under var/s3/N/data) unless it runs.
start_s3() {
  local n=$1 dir port jar
  s3_alive "$n" && return 0
  dir=$(s3_dir "$n")
  port=$(port_s3 "$n")
  port_free "$port" || die "S3 endpoint $n: cairn.storage.endpoints: $HOST:$port is in use"
  jar=$(s3proxy_jar)
  mkdir -p "$dir/data"
  (umask 077 && cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://$HOST:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$(cat "$VAR/storage-access-key")
s3proxy.credential=$(cat "$VAR/storage-secret-key")
jclouds.provider=filesystem
jclouds.identity=$(cat "$VAR/storage-access-key")
jclouds.credential=$(cat "$VAR/storage-secret-key")
jclouds.filesystem.basedir=$dir/data
CONF
  )
  # Detached (subshell, own session): not a child of this script, whose plain `wait`s would wait for it,
  # and not killed with its process group.
  # shellcheck disable=SC2086
  (setsid nohup java $S3_JAVA_OPTS -jar "$jar" --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 < /dev/null &
   echo $! > "$dir/pid")
  # Until the child has exec'd, its command line is this script's and s3_alive would call it gone (a
  # loaded machine showed it): wait for the exec, or for the process to end.
  local pid i
  pid=$(cat "$dir/pid")
  for ((i = 0; i < 100; i++)); do
    if cmdline_has "$pid" "--properties $dir/s3proxy.conf" || ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
}

# wait_s3 N... — until every named endpoint answers HTTP (any status: S3 refuses anonymous calls).
wait_s3() {
  local deadline=$((SECONDS + 60)) n pending
  while :; do
    pending=()
    for n in "$@"; do
      s3_alive "$n" || die "S3 endpoint $n exited; see $(s3_dir "$n")/s3proxy.log"
      s3_answers "$n" || pending+=("$n")
    done
    [ ${#pending[@]} -eq 0 ] && return 0
    [ $SECONDS -lt $deadline ] || die "S3 endpoints not answering after 60 s: ${pending[*]} (see $VAR/s3/N/s3proxy.log)"
    sleep 0.5
  done
}

stop_s3() {
  local n=$1 pid i
  pid=$(s3_pid "$n")
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$(s3_dir "$n")/pid"
}

s3_started() { local n; for n in $(seq 1 "$S3_COUNT"); do [ -d "$(s3_dir "$n")" ] && echo "$n"; done; return 0; }

describe_s3() {
  local n=$1 state=stopped
  if s3_alive "$n"; then
    state=running
    s3_answers "$n" || state="running, not answering"
  fi
  printf '%-6s %-20s %s\n' "s3-$n" "$state" "$HOST:$(port_s3 "$n")  $(s3_dir "$n")/s3proxy.log"
}

# The server.env lines that point a cluster server at the S3 endpoints.
storage_env() {
  local n endpoints=""
  for n in $(seq 1 "$S3_COUNT"); do
    endpoints+="${endpoints:+,}s3:http://$HOST:$(port_s3 "$n")"
  done
  echo "CAIRN_STORAGE_ENDPOINTS=$endpoints"
  echo "CAIRN_STORAGE_DATA_SHARDS=$S3_DATA_SHARDS"
  echo "CAIRN_STORAGE_PARITY_SHARDS=$S3_PARITY_SHARDS"
  echo "CAIRN_STORAGE_ACCESS_KEY=$(cat "$VAR/storage-access-key")"
  echo "CAIRN_STORAGE_SECRET_KEY=$(cat "$VAR/storage-secret-key")"
  # object storage is remote: keep blocks the heap cannot hold on local disk (cn-data BlockFiles)
  echo "CAIRN_CN_BLOCK_CACHE_DISK=${CAIRN_BLOCK_CACHE_DISK:-2g}"
}
