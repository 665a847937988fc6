# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- a local cluster ---------------------------------------------------------------------------
cluster_servers() {
  [ -d "$WLP_USER_DIR/servers" ] || return 0
  (cd "$WLP_USER_DIR/servers" && ls -d s[0-9]* 2>/dev/null | sort -V) || true
}
any_alive() { local s; for s in "$@"; do alive "$s" && return 0; done; return 1; }
index_of() { [[ $1 =~ ^s([0-9]+)$ ]] || die "unknown server '$1' (expected s1, s2, ...)"; echo "${BASH_REMATCH[1]}"; }

cluster_up() {
  local n=3
  while [ $# -gt 0 ]; do
    case $1 in
      --servers) n=${2:-}; shift 2 ;;
      *) die "cluster up: unknown option $1" ;;
    esac
  done
  [[ $n =~ ^[1-9]$ ]] || die "cluster up: --servers must be 1-9"
  ensure_built
  alive "$ALL_IN_ONE" && die "the all-in-one server is running; 'bin/cairn down' first"
  local i members="" peers="" names=()
  for i in $(seq 1 "$n"); do
    members+="${members:+,}$HOST:$(port_hz "$i")"
    peers+="${peers:+,}s$i=$HOST:$(port_log "$i")"
    names+=("s$i")
  done
  local started=$SECONDS
  ensure_storage_credentials
  local s3=()
  for i in $(seq 1 "$S3_COUNT"); do
    start_s3 "$i"
    s3+=("$i")
  done
  wait_s3 "${s3[@]}"
  say "$S3_COUNT S3 endpoints answer on $HOST:$(port_s3 1)-$(port_s3 "$S3_COUNT") (data under $VAR/s3)"
  local storage; storage=$(storage_env)
  ensure_https_password
  ensure_cluster_ca
  for i in $(seq 1 "$n"); do ensure_server_cert "s$i"; done
  for i in $(seq 1 "$n"); do
    write_server "s$i" "$i" proxy,cn,tn,log "$members" "$peers" "$storage"$'\n'"$(https_env "$i")"$'\n'"$(cluster_tls_env "s$i")"
    mkdir -p "$(server_dir "s$i")/logs"
  done
  for i in $(seq 1 "$n"); do start_server "s$i" "$i" & done
  wait
  wait_ready "${names[@]}"
  export_certificates
  say "cluster of $n ready in $((SECONDS - started)) s"
  for i in $(seq 1 "$n"); do
    echo "  s$i  MySQL $HOST:$(port_mysql "$i")  HTTP http://$HOST:$(port_http "$i")  admin API https://$HOST:$(port_https "$i")/api  logs $(server_dir "s$i")/logs/messages.log"
  done
  echo "  admin API users: admin (operator) and reader (read-only), passwords in $VAR/admin-password and $VAR/admin-readonly-password; server certificates in $CA_FILE"
  echo "  storage: $S3_DATA_SHARDS+$S3_PARITY_SHARDS over S3 $HOST:$(port_s3 1)-$(port_s3 "$S3_COUNT") (keys in $VAR/storage-*-key)"
}

cluster_storage() {
  local sub=${1:-} n=${2:-}
  case $sub in
    stop|start)
      [[ $n =~ ^[1-9]$ ]] && [ "$n" -le "$S3_COUNT" ] || die "cluster storage $sub: name an endpoint 1-$S3_COUNT"
      [ -d "$(s3_dir "$n")" ] || die "no S3 endpoint $n; 'bin/cairn cluster up' first"
      if [ "$sub" = stop ]; then
        stop_s3 "$n"
        say "S3 endpoint $n stopped ($HOST:$(port_s3 "$n"))"
      else
        ensure_storage_credentials
        start_s3 "$n"
        wait_s3 "$n"
        say "S3 endpoint $n started and answering ($HOST:$(port_s3 "$n"))"
      fi ;;
    status|"") for n in $(s3_started); do describe_s3 "$n"; done ;;
    *) die "cluster storage: unknown command '$sub' (stop N, start N, status)" ;;
  esac
}

cmd_cluster() {
  local sub=${1:-status}; shift || true
  case $sub in
    up) cluster_up "$@" ;;
    down)
      local s
      for s in $(cluster_servers); do stop_server "$s" & done
      wait
      local n
      for n in $(s3_started); do stop_s3 "$n" & done
      wait
      remove_isolation
      remove_cgroups
      say "cluster stopped" ;;
    status)
      local s n
      for s in $(cluster_servers); do describe "$s"; done
      for n in $(s3_started); do describe_s3 "$n"; done
      isolated_servers ;;
    storage) cluster_storage "$@" ;;
    leader) cluster_leader "$@" ;;
    log) cluster_log "$@" ;;
    kill|restart|pause|resume|isolate|rejoin)
      local name=${1:-}; [ -n "$name" ] || die "cluster $sub: name a server (s1, s2, ...)"
      local index; index=$(index_of "$name")
      [ -d "$(server_dir "$name")" ] || die "no server $name; 'bin/cairn cluster up' first"
      case $sub in
        kill) alive "$name" || die "$name is not running"; kill -9 "$(pid_of "$name")"; say "$name killed (SIGKILL)" ;;
        pause) alive "$name" || die "$name is not running"; kill -STOP "$(pid_of "$name")"; say "$name paused (SIGSTOP)" ;;
        resume) alive "$name" || die "$name is not running"; kill -CONT "$(pid_of "$name")"; say "$name resumed (SIGCONT)" ;;
        isolate) cluster_isolate "$name" ;;
        rejoin) cluster_rejoin "$name" ;;
        restart)
          stop_server "$name"
          start_server "$name" "$index"
          wait_ready "$name"
          say "$name restarted and ready" ;;
      esac ;;
    *) die "cluster: unknown command '$sub' (up, down, status, kill, restart, pause, resume, isolate, rejoin, leader, log, storage)" ;;
  esac
}
