# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- bench: the benchmark commands -------------------------------------------------------------
cmd_bench() {
  local what=${1:-}
  case $what in
    log) (cd "$ROOT" && mvn -q -B -pl log-raft -am install -DskipTests && \
          mvn -q -B -pl log-raft test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.cairn.log.bench.LogBench) ;;
    txn) (cd "$ROOT" && mvn -q -B -pl cn-data -am install -DskipTests && \
          mvn -q -B -pl cn-data test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.cairn.data.bench.TxnBench) ;;
    storage) (cd "$ROOT" && mvn -q -B -pl storage-connector -am install -DskipTests && \
          mvn -q -B -pl storage-connector test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.cairn.storage.bench.StorageBench) ;;
    sql) bench_sql ;;
    proxy) bench_proxy ;;
    growth) bench_growth ;;
    backup) bench_backup ;;
    *) die "bench: name one of: log, storage, txn, sql, proxy, growth, backup" ;;
  esac
}
