# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- the log leader and peers, through the admin API of the first cluster server that answers ----
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

# cluster_log [add|remove|replace sI] — the log group; change its voters (Ratis setConfiguration).
cluster_log() {
  local sub=${1:-} name=${2:-} index out
  case $sub in
    "") log_api GET /api/cluster/log || die "cluster log: no server answered"; echo ;;
    add|remove|replace)
      [ -n "$name" ] || die "cluster log $sub: name a server (s1, s2, ...)"
      index=$(index_of "$name")
      case $sub in
        add) log_peer_add "$name" "$index" ;;
        remove)
          log_api DELETE "/api/cluster/log/peers/$name" > /dev/null || die "cluster log remove $name: failed"
          say "log peer $name removed" ;;
        replace)
          # a server whose log disk was lost: out of the group, its log folder emptied, started, let in again
          stop_server "$name"
          log_api DELETE "/api/cluster/log/peers/$name" > /dev/null || die "cluster log replace $name: removing the peer failed"
          rm -rf "$VAR/data/$name/log"
          start_server "$name" "$index"
          log_peer_add "$name" "$index"
          wait_ready "$name"
          say "log peer $name replaced: empty, caught up and voting" ;;
      esac ;;
    *) die "cluster log: unknown command '$sub' (none, add sI, remove sI, replace sI)" ;;
  esac
}

# log_peer_add NAME INDEX — adds the peer, retried while its server starts (up to 2 min).
log_peer_add() {
  local name=$1 index=$2 tries=0
  until log_api POST "/api/cluster/log/peers?id=$name&address=$HOST:$(port_log "$index")" > /dev/null; do
    tries=$((tries + 1))
    [ $tries -lt 60 ] || die "cluster log add $name: the group did not take it"
    sleep 2
  done
  say "log peer $name added"
}
