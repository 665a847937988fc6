# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- the log leader, through the admin API of the first cluster server that answers --------------
# log_api METHOD PATH — the answer of the first server whose admin API answers 2xx.
log_api() {
  local s out
  for s in $(cluster_servers); do
    alive "$s" || continue
    out=$(admin_curl -sS -f -m 20 -X "$1" "$(admin_base "$s")$2" 2> /dev/null) \
      && { echo "$out"; return 0; }
  done
  return 1
}

cluster_leader() {
  local sub=${1:-} to=${2:-} out
  case $sub in
    "") out=$(log_api GET /api/cluster/log) || die "cluster leader: no server answered"
        sed -n 's/.*"leaderId":"\([^"]*\)".*/\1/p' <<< "$out" ;;
    transfer)
      [ -z "$to" ] || index_of "$to" > /dev/null
      out=$(log_api POST "/api/cluster/log/leader/transfer${to:+?to=$to}") || die "cluster leader transfer${to:+ to $to}: failed"
      say "log leader is now $(sed -n 's/.*"leaderId":"\([^"]*\)".*/\1/p' <<< "$out")" ;;
    *) die "cluster leader: unknown command '$sub' (none, or transfer [sI])" ;;
  esac
}

remove_cgroups() {
  local s cg
  for s in $(cluster_servers); do
    cg=$(cgroup_dir "$s")
    if [ -n "$cg" ] && [ -d "$cg" ]; then rmdir "$cg" 2> /dev/null || true; fi
  done
}
