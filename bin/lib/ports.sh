# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- ports: server I (1-based) of a cluster; the all-in-one server uses I=1 -------------------
port_mysql() { echo $((6000 + $1 + OFFSET)); }
port_cn()    { echo $((6100 + $1 + OFFSET)); }
port_log()   { echo $((6200 + $1 + OFFSET)); }
port_http()  { echo $((9079 + $1 + OFFSET)); }
port_https() { echo $((9442 + $1 + OFFSET)); }   # a cluster server's HTTPS port: the admin API
port_internal() { echo $((9642 + $1 + OFFSET)); } # a cluster server's HTTPS port for internal calls (cluster TLS)
port_hz()    { echo $((5700 + $1 + OFFSET)); }
port_s3()    { echo $((9000 + $1 + OFFSET)); }   # S3 endpoint N (1..S3_COUNT) of a local cluster
