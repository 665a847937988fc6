#!/usr/bin/env bash
# Makes the secrets an overlay's kustomization reads, in OVERLAY/secrets/ (never in git: .gitignore):
#   secrets.env     admin passwords, cluster secret, MySQL root password, cluster TLS password (random)
#   ca.p12, trust.p12  the cluster CA (its key signs each pod's certificate at start) and its certificate
#   storage.env     (prod) the object storage endpoints and keys, from CAIRN_STORAGE_ENDPOINTS,
#                   CAIRN_STORAGE_ACCESS_KEY, CAIRN_STORAGE_SECRET_KEY in the environment
# Existing files are kept: running it again changes nothing. Needs keytool (a JDK) and openssl.
# Usage: deploy/kubernetes/make-secrets.sh overlays/prod
set -euo pipefail
overlay=${1:?usage: make-secrets.sh OVERLAY_DIR}
dir=$overlay/secrets
mkdir -p "$dir" && chmod 700 "$dir"
umask 077
random() { openssl rand -base64 24 | tr -d '/+='; }

if [ ! -f "$dir/secrets.env" ]; then
  {
    echo "CAIRN_ADMIN_PASSWORD=$(random)"
    echo "CAIRN_ADMIN_READONLY_PASSWORD=$(random)"
    echo "CAIRN_CLUSTER_SECRET=$(random)"
    echo "CAIRN_ROOT_PASSWORD=$(random)"
    echo "CAIRN_CLUSTER_TLS_PASSWORD=$(random)"
  } > "$dir/secrets.env"
fi
# the HTTPS port's key store: Liberty makes it at first start with keystore_password (the same name as in a
# server.env, which is what the process environment is); also added to secrets made before it was needed
if ! grep -q "^keystore_password=" "$dir/secrets.env"; then
  echo "keystore_password=$(random)" >> "$dir/secrets.env"
fi

if [ ! -f "$dir/ca.p12" ]; then
  CAIRN_TLS_PASSWORD=$(sed -n 's/^CAIRN_CLUSTER_TLS_PASSWORD=//p' "$dir/secrets.env")
  export CAIRN_TLS_PASSWORD
  keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity 3650 -ext bc:c \
    -dname "CN=cairn cluster CA" -keystore "$dir/ca.p12" -storetype PKCS12 -storepass:env CAIRN_TLS_PASSWORD \
    2>/dev/null
  keytool -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -file "$dir/ca.pem" -storepass:env CAIRN_TLS_PASSWORD \
    2>/dev/null
  keytool -importcert -noprompt -alias cairn-cluster-ca -file "$dir/ca.pem" -keystore "$dir/trust.p12" \
    -storetype PKCS12 -storepass:env CAIRN_TLS_PASSWORD 2>/dev/null
  rm -f "$dir/ca.pem"
fi

if grep -q "storage.env" "$overlay/kustomization.yaml" && [ ! -f "$dir/storage.env" ]; then
  : "${CAIRN_STORAGE_ENDPOINTS:?set CAIRN_STORAGE_ENDPOINTS (e.g. s3:https://minio-0.minio:9000,...), CAIRN_STORAGE_ACCESS_KEY and CAIRN_STORAGE_SECRET_KEY}"
  {
    echo "CAIRN_STORAGE_ENDPOINTS=$CAIRN_STORAGE_ENDPOINTS"
    echo "CAIRN_STORAGE_ACCESS_KEY=${CAIRN_STORAGE_ACCESS_KEY:?}"
    echo "CAIRN_STORAGE_SECRET_KEY=${CAIRN_STORAGE_SECRET_KEY:?}"
  } > "$dir/storage.env"
fi
echo "secrets of $overlay are in $dir"
