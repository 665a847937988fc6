# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- HTTPS of the admin API and /metrics ------------------------------------------------------------
# Every server bin/cairn starts (all-in-one and cluster) serves the admin API and /metrics on its HTTPS port only. Its key store is Liberty's default one
# (resources/security/key.p12 in the server folder), which Liberty creates with a self-signed certificate
# (subject alternative names localhost and 127.0.0.1) at the first start, with the password in
# keystore_password; bin/cairn exports each server's certificate into one file that curl trusts (--cacert).
CA_FILE=$VAR/https/admin-certificates.pem

ensure_https_password() {
  if [ ! -f "$VAR/https-keystore-password" ]; then
    mkdir -p "$VAR"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$VAR/https-keystore-password")
  fi
}

# https_env INDEX — the server.env lines that give server INDEX its HTTPS port and key store password.
https_env() {
  echo "CAIRN_HTTPS_PORT=$(port_https "$1")"
  echo "keystore_password=$(cat "$VAR/https-keystore-password")"
}

# export_certificates — the certificate of every server here (the all-in-one and the cluster's), PEM, into
# CA_FILE (keytool reads the store password from its file, not from its command line).
export_certificates() {
  local s store out=""
  mkdir -p "$(dirname "$CA_FILE")"
  for s in "$ALL_IN_ONE" $(cluster_servers); do
    store=$(server_dir "$s")/resources/security/key.p12
    [ -f "$store" ] || continue
    out+=$(keytool -exportcert -rfc -alias default -storetype PKCS12 -keystore "$store" \
      -storepass:file "$VAR/https-keystore-password" 2> /dev/null) || die "$s: cannot read the certificate of $store"
    out+=$'\n'
  done
  printf '%s' "$out" > "$CA_FILE.new" && mv "$CA_FILE.new" "$CA_FILE"
}

https_port_of() { sed -n 's/^CAIRN_HTTPS_PORT=//p' "$(server_dir "$1")/server.env" 2> /dev/null; }

# admin_base NAME — the admin API's base URL on server NAME: HTTPS if it has an HTTPS port.
admin_base() {
  local port; port=$(https_port_of "$1")
  if [ -n "$port" ] && [ "$port" -gt 0 ]; then echo "https://$HOST:$port"; else echo "http://$HOST:$(http_port_of "$1")"; fi
}
