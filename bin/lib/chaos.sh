# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- chaos: the fault-injection suite (runner: ear/src/test/java/io/cairn/chaos) ------------------
cmd_chaos() {
  local args=("$@") out="" i
  for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" != --out ] || out=${args[$((i + 1))]:-}
  done
  [ -n "$out" ] || { out=$VAR/chaos/$(date +%Y%m%d-%H%M%S); args+=(--out "$out"); }
  local servers; servers=$(cluster_servers)
  if [ -z "$servers" ] || ! all_alive $servers; then
    cmd_cluster up
  fi
  # the runner calls this script back for every fault, with the same state folder and ports
  (cd "$ROOT" && mvn -q -B -o -pl ear test-compile exec:java -Dexec.classpathScope=test \
      -Dexec.mainClass=io.cairn.chaos.Chaos -Dexec.args="--cairn $ROOT/bin/cairn --var $VAR --offset $OFFSET ${args[*]}")
}
all_alive() { local s; for s in "$@"; do alive "$s" || return 1; done; return 0; }
