# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say, admin_curl, api_base).
# --- standby: this folder's all-in-one as a standby of another cluster, promotion, and a primary's drain ------

cmd_standby() {
  command -v jq > /dev/null || die "standby needs jq (apt-get install jq)"
  local action=${1:-} base
  shift || true
  case $action in
    up)
      local target="" credentials=""
      while [ $# -gt 0 ]; do
        case $1 in
          --credentials) credentials=$(backup_credentials "${2:-}"); shift 2 ;;
          *) [ -z "$target" ] || die "standby up: one TARGET"; target=$(backup_target "$1"); shift ;;
        esac
      done
      [ -n "$target" ] || die "usage: standby up TARGET [--credentials FILE]"
      backup_needs_credentials "$target" "$credentials"
      CAIRN_STANDBY_OF=$target CAIRN_STANDBY_CREDENTIALS=$credentials cmd_up
      standby_print "$(admin_curl -sS --fail-with-body "$(api_base)/api/standby")" ;;
    status)
      local answer; answer=$(admin_curl -sS --fail-with-body "$(api_base)/api/standby") || die "standby status: $answer"
      standby_print "$answer" ;;
    promote)
      local force=false answer
      [ "${1:-}" != --force ] || force=true
      answer=$(standby_on_active_tn POST "/api/standby/promote?force=$force") \
        || die "standby promote: $(jq -r '.error // .' <<< "$answer" 2> /dev/null || echo "$answer")"
      jq -r '"promoted at \(.promotedAt) UTC by \(.by): this cluster takes writes, with the old primary'"'"'s commits up to \(.commitTime) UTC"' <<< "$answer" ;;
    drain)
      local answer
      answer=$(standby_on_active_tn POST /api/standby/drain) \
        || die "standby drain: $(jq -r '.error // .' <<< "$answer" 2> /dev/null || echo "$answer")"
      jq -r '"drained: this cluster takes no writes; the archive holds every commit, the last at \(.commitTime) UTC (LSN \(.lsn)). Promote the standby now (bin/cairn standby promote on it), or undrain"' <<< "$answer" ;;
    undrain)
      # every server: the drain holds on the server whose TN was active then, which may have changed since
      local server
      for server in $(standby_servers); do
        admin_curl -sS --fail-with-body -X DELETE "$(admin_base "$server")/api/standby/drain" \
          || die "standby undrain failed on $server"
      done
      echo "this cluster takes writes again" ;;
    *) die "usage: standby up TARGET [--credentials FILE] | status | promote [--force] | drain | undrain" ;;
  esac
}

# standby_print STATUS-JSON — one line: state, the primary's archive, the data's moment and the lag
standby_print() {
  jq -r '"standby: \(.state | ascii_downcase) of \(.primaryArchive); data as of \(.appliedTime // "nothing yet") UTC, lag \(.lagSeconds) s" + (if .problem then "; problem: \(.problem)" else "" end) + (if .promotion then "; \(.promotion.promotedAt) promoted by \(.promotion.by)" else "" end)' <<< "$1"
}

# standby_servers — the running servers of this folder: its all-in-one, or its cluster's
standby_servers() {
  local server
  for server in "$ALL_IN_ONE" $(cluster_servers); do
    alive "$server" && echo "$server"
  done
}

# standby_on_active_tn METHOD PATH — the call on the server whose TN is active (promote and drain run there): each
# running server is asked in turn, and one whose TN is not the active one says so (409); prints the answer
standby_on_active_tn() {
  local method=$1 path=$2 server answer=""
  for server in $(standby_servers); do
    if answer=$(admin_curl -sS --fail-with-body -X "$method" "$(admin_base "$server")$path" 2> /dev/null); then
      echo "$answer"; return 0
    fi
    grep -q "is not the active one" <<< "$answer" || { echo "$answer"; return 1; }
  done
  echo "${answer:-no server of $VAR runs}"; return 1
}
