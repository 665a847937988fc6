# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- the all-in-one server ---------------------------------------------------------------------
cmd_up() {
  local roles=proxy,cn,tn,log
  while [ $# -gt 0 ]; do
    case $1 in
      --roles) roles=${2:-}; shift 2 ;;
      *) die "up: unknown option $1" ;;
    esac
  done
  ensure_built
  [ -z "$(cluster_servers)" ] || ! any_alive $(cluster_servers) || die "a cluster is running here; 'bin/cairn cluster down' first"
  local started=$SECONDS
  # HTTPS (Liberty's self-signed key store): /metrics answers only there, and the admin API moves there too
  ensure_https_password
  write_server "$ALL_IN_ONE" 1 "$roles" "$HOST:$(port_hz 1)" "$ALL_IN_ONE=$HOST:$(port_log 1)" "$(https_env 1)"
  mkdir -p "$(server_dir "$ALL_IN_ONE")/logs"
  start_server "$ALL_IN_ONE" 1
  wait_ready "$ALL_IN_ONE"
  export_certificates
  say "ready in $((SECONDS - started)) s"
  if port_free "$(port_mysql 1)"; then
    echo "  MySQL: $HOST:$(port_mysql 1)   (not served yet by this build)"
  else
    echo "  MySQL: $HOST:$(port_mysql 1)   (mysql -h$HOST -P$(port_mysql 1) -uroot)"
    if [ -z "${CAIRN_ROOT_PASSWORD:-}" ]; then
      echo "         root has an empty password (loopback only); set one: ALTER USER root IDENTIFIED BY '…'"
    fi
  fi
  echo "  HTTP:  http://$HOST:$(port_http 1)/health"
  echo "  HTTPS: https://$HOST:$(port_https 1)/console/ (the admin console), /api and /metrics (operator admin, password in $VAR/admin-password; read-only reader, $VAR/admin-readonly-password; certificate in $CA_FILE)"
  echo "  logs:  $(server_dir "$ALL_IN_ONE")/logs/messages.log"
  echo "  data:  $VAR/data/$ALL_IN_ONE"
}

cmd_down() {
  stop_server "$ALL_IN_ONE"
  local cg; cg=$(cgroup_dir "$ALL_IN_ONE")
  if [ -n "$cg" ] && [ -d "$cg" ]; then rmdir "$cg" 2> /dev/null || true; fi
  say "$ALL_IN_ONE stopped"
}

cmd_status() {
  [ -d "$(server_dir "$ALL_IN_ONE")" ] && describe "$ALL_IN_ONE"
  local s
  for s in $(cluster_servers); do describe "$s"; done
  return 0
}
