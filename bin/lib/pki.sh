# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- the cluster PKI: a CA and per server a key store it signed, for internal TLS (never in git) --
# var/tls/ca.p12 (the CA key; only this script uses it, to sign), trust.p12 (the CA certificate alone),
# sI.p12 (server sI's key and CA-signed certificate for $HOST, 127.0.0.1 and localhost), password (0600,
# the password of all of them). keytool reads the password from the environment, never from argv.
TLS_DIR=$VAR/tls
tls_keytool() {
  local out
  out=$(umask 077 && CAIRN_TLS_PASSWORD=$(cat "$TLS_DIR/password") \
    keytool -J-XX:TieredStopAtLevel=1 "$@" -storepass:env CAIRN_TLS_PASSWORD 2>&1) || { echo "$out" >&2; return 1; }
}

ensure_cluster_ca() {
  command -v keytool > /dev/null || die "keytool (JDK) is needed to make the cluster PKI"
  mkdir -p "$TLS_DIR" && chmod 700 "$TLS_DIR"
  [ -f "$TLS_DIR/password" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$TLS_DIR/password")
  [ -f "$TLS_DIR/trust.p12" ] && return 0
  say "making the cluster CA in $TLS_DIR"
  rm -f "$TLS_DIR/ca.p12" "$TLS_DIR/ca.pem"
  tls_keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity 3650 -ext bc:c \
    -dname "CN=cairn cluster CA $(basename "$VAR")-$OFFSET" -keystore "$TLS_DIR/ca.p12" -storetype PKCS12 \
    || die "keytool could not make the cluster CA"
  tls_keytool -exportcert -rfc -alias ca -keystore "$TLS_DIR/ca.p12" -file "$TLS_DIR/ca.pem"
  (tls_keytool -importcert -noprompt -alias cairn-cluster-ca -file "$TLS_DIR/ca.pem" \
    -keystore "$TLS_DIR/trust.p12" -storetype PKCS12) || die "keytool could not make the trust store"
}

server_san() { if [ "$HOST" = 127.0.0.1 ]; then echo IP:127.0.0.1,DNS:localhost; else echo "IP:$HOST,IP:127.0.0.1,DNS:localhost"; fi; }

# ensure_server_cert NAME — NAME's key store, signed by the cluster CA, unless it exists.
ensure_server_cert() {
  local name=$1 store=$TLS_DIR/$1.p12
  [ -f "$store" ] && return 0
  local tmp; tmp=$(mktemp -d "$TLS_DIR/.issue-XXXXXX")
  (tls_keytool -genkeypair -alias "$name" -keyalg EC -groupname secp256r1 -validity 825 -dname "CN=$name" \
     -keystore "$tmp/key.p12" -storetype PKCS12 &&
   tls_keytool -certreq -alias "$name" -keystore "$tmp/key.p12" -file "$tmp/req.csr" &&
   tls_keytool -gencert -alias ca -keystore "$TLS_DIR/ca.p12" -infile "$tmp/req.csr" -outfile "$tmp/cert.pem" -rfc \
     -validity 825 -ext "SAN=$(server_san)" -ext KU=digitalSignature -ext EKU=serverAuth,clientAuth &&
   cat "$tmp/cert.pem" "$TLS_DIR/ca.pem" > "$tmp/chain.pem" &&
   tls_keytool -importcert -noprompt -alias "$name" -file "$tmp/chain.pem" -keystore "$tmp/key.p12" &&
   mv "$tmp/key.p12" "$store") || { rm -rf "$tmp"; die "keytool could not issue the certificate of $name"; }
  rm -rf "$tmp"
}

# The server.env lines that give server NAME the cluster PKI.
cluster_tls_env() {
  echo "CAIRN_INTERNAL_PORT=$(port_internal "${1#s}")"
  echo "CAIRN_CLUSTER_TLS_KEY_STORE=$TLS_DIR/$1.p12"
  echo "CAIRN_CLUSTER_TLS_TRUST_STORE=$TLS_DIR/trust.p12"
  echo "CAIRN_CLUSTER_TLS_PASSWORD=$(cat "$TLS_DIR/password")"
}
