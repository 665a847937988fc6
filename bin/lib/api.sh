# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- api: calls of the admin API as the operator, the read-only user or given credentials ------
cmd_api() {
  local method=GET credentials=""
  while [ $# -gt 0 ]; do
    case $1 in
      --post) method=POST; shift ;;
      --put) method=PUT; shift ;;
      --delete) method=DELETE; shift ;;
      --reader) credentials=reader; shift ;;
      --credentials) credentials=${2:-}; [ -n "$credentials" ] || die "api: --credentials FILE|-"; shift 2 ;;
      -*) die "api: unknown option $1" ;;
      *) break ;;
    esac
  done
  local path=${1:-/api/cluster/members}
  # the answer's body, also for an HTTP error (then curl names the status and the exit status is 22)
  local rc=0
  ADMIN_CREDENTIALS=$credentials admin_curl -sS --fail-with-body -X "$method" "$(api_base)$path" || rc=$?
  echo
  return "$rc"
}

# admin_curl CURL-ARGS... — curl with an admin account's credentials and, for an HTTPS URL, the cluster
# servers' certificates as the only ones it trusts. The credentials go to curl on its standard input (a
# config line), never on a command line, where other local users could read them. They are, after
# ADMIN_CREDENTIALS: empty, the operator (admin, $VAR/admin-password); 'reader', the read-only user
# ($VAR/admin-readonly-password); '-', one line 'user:password' read from this script's standard input;
# else a file holding that line.
admin_curl() {
  local line arg tls=()
  case ${ADMIN_CREDENTIALS:-} in
    "") line="admin:$(cat "$VAR/admin-password")" ;;
    reader) line="reader:$(cat "$VAR/admin-readonly-password")" ;;
    -) IFS= read -r line || [ -n "$line" ] || die "api: no 'user:password' line on standard input" ;;
    *) [ -r "$ADMIN_CREDENTIALS" ] || die "api: cannot read $ADMIN_CREDENTIALS"
       IFS= read -r line < "$ADMIN_CREDENTIALS" || true ;;
  esac
  [[ $line == *:* ]] || die "api: the credentials must be one line 'user:password'"
  for arg in "$@"; do
    if [[ $arg == https://* ]]; then
      [ -f "$CA_FILE" ] || export_certificates
      tls=(--cacert "$CA_FILE")
    fi
  done
  line=${line//\\/\\\\}
  printf 'user = "%s"\n' "${line//\"/\\\"}" | curl -K - "${tls[@]}" "$@"
}
