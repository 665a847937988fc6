# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- cn: operator controls of compute nodes, through the admin API of the first server answering ---
# api_base — the admin API's base URL on the first server of this state folder whose HTTP port answers.
api_base() {
  local i env
  for i in 1 2 3 4 5 6 7 8 9; do
    if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$HOST:$(port_http "$i")/health/live")" != 000 ]; then
      for env in "$WLP_USER_DIR"/servers/*/server.env; do
        if grep -qx "CAIRN_HTTP_PORT=$(port_http "$i")" "$env" 2> /dev/null; then
          admin_base "$(basename "$(dirname "$env")")"; return 0
        fi
      done
      echo "http://$HOST:$(port_http "$i")"; return 0
    fi
  done
  die "no Cairn server answers on this machine"
}

cmd_cn() {
  local action=${1:-} server=${2:-} base
  base="$(api_base)/api/cluster"
  case $action in
    drain|undrain)
      [ -n "$server" ] || die "usage: cn $action SERVER"
      admin_curl -sS -f -X POST "$base/cn/$server/$action" || die "cn $action $server failed" ;;
    group)
      [ -n "$server" ] || die "usage: cn group SERVER [GROUP]"
      admin_curl -sS -f -X PUT -H 'Content-Type: text/plain' --data "${3:-}" "$base/cn/$server/group" \
        || die "cn group $server failed" ;;
    sessions) admin_curl -sS -f "$base/proxy/sessions" || die "cn sessions failed" ;;
    connections) admin_curl -sS -f "$base/proxy/connections" || die "cn connections failed" ;;
    *) die "usage: cn drain|undrain SERVER | cn group SERVER [GROUP] | cn sessions | cn connections" ;;
  esac
  echo
}
