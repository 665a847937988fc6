# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- isolation of a cluster server: iptables on loopback, matched by each server's cgroup ------------
# Every server runs in its own cgroup v2 folder (start_server). While any server is isolated, chain
# CAIRN-<offset> (jumped to from OUTPUT on lo) marks each connection with one bit per server that sent
# on it (CONNMARK --or-mark, by the sending socket's cgroup) and drops the packets of every connection
# that carries the isolated server's bit and another server's bit: all of sI's traffic with the other
# servers (Ratis, Hazelcast, internal HTTP, proxy → CN) in both directions, while clients (curl, JDBC,
# no server bit) still reach every port of sI, its proxy included.
cgroup_root() { awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts; }
cgroup_name() { echo "cairn-$OFFSET-$1"; }
cgroup_dir() { local root; root=$(cgroup_root); [ -n "$root" ] && echo "$root/$(cgroup_name "$1")"; return 0; }
chaos_chain() { echo "CAIRN-$OFFSET"; }
server_bit() { printf '0x%x' $((1 << $(index_of "$1"))); }

need_iptables() {
  command -v iptables > /dev/null || die "cluster $1: iptables is not installed (apt-get install iptables)"
  iptables -S OUTPUT > /dev/null 2>&1 || die "cluster $1: iptables cannot be used here (needs root and CAP_NET_ADMIN)"
}

cluster_isolate() {
  local name=$1 cg chain s
  need_iptables isolate
  alive "$name" || die "$name is not running"
  cg=$(cgroup_dir "$name")
  { [ -n "$cg" ] && grep -qx "$(pid_of "$name")" "$cg/cgroup.procs" 2>/dev/null; } \
    || die "cluster isolate: $name does not run in its cgroup (no writable cgroup2 mount, or started by an older bin/cairn: restart it)"
  chain=$(chaos_chain)
  iptables -N "$chain" 2> /dev/null || true
  iptables -C OUTPUT -o lo -j "$chain" 2> /dev/null || iptables -I OUTPUT 1 -o lo -j "$chain"
  for s in $(cluster_servers); do
    iptables -C "$chain" -m cgroup --path "$(cgroup_name "$s")" -j CONNMARK --or-mark "$(server_bit "$s")" 2> /dev/null \
      || iptables -I "$chain" 1 -m cgroup --path "$(cgroup_name "$s")" -j CONNMARK --or-mark "$(server_bit "$s")"
  done
  local mine other mask
  mine=$(server_bit "$name")
  for s in $(cluster_servers); do
    [ "$s" != "$name" ] || continue
    other=$(server_bit "$s")
    mask=$(printf '0x%x' $((mine | other)))
    iptables -C "$chain" -m connmark --mark "$mask/$mask" -m comment --comment "cairn isolate $name" -j DROP 2> /dev/null \
      || iptables -A "$chain" -m connmark --mark "$mask/$mask" -m comment --comment "cairn isolate $name" -j DROP
  done
  say "$name isolated from the other servers (its ports still answer clients)"
}

# remove_isolation [NAME] — the drop rules of NAME (all without one); the chain goes with the last rule.
remove_isolation() {
  local name=${1:-} chain rule
  command -v iptables > /dev/null || return 0
  chain=$(chaos_chain)
  iptables -S "$chain" > /dev/null 2>&1 || return 0
  while read -r rule; do
    [ -n "$rule" ] || continue
    eval "iptables ${rule/-A /-D }"  # the rule as iptables -S printed it (its comment quoted), as a delete
  done < <(iptables -S "$chain" | grep -- "-j DROP" | grep -F "cairn isolate ${name}" || true)
  if ! iptables -S "$chain" | grep -q -- "-j DROP"; then
    iptables -D OUTPUT -o lo -j "$chain" 2> /dev/null || true
    iptables -F "$chain"
    iptables -X "$chain"
  fi
}

# isolated_servers — one line naming the isolated servers, if any.
isolated_servers() {
  command -v iptables > /dev/null || return 0
  local names
  names=$(iptables -S "$(chaos_chain)" 2> /dev/null | sed -n 's/.*--comment "cairn isolate \(s[0-9]*\)".*/\1/p' | sort -u | tr '\n' ' ')
  [ -z "$names" ] || echo "isolated: $names"
}

cluster_rejoin() {
  remove_isolation "$1"
  say "$1 rejoined (its isolation rules removed)"
}
