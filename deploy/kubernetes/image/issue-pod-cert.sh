#!/bin/sh
# Issues this pod's cluster certificate, signed by the cluster CA, for its IP and its DNS names, into
# /tls (an emptyDir shared with the server container). Run by an init container: pod IPs change with each
# pod, and a CN's or TN's certificate must name the address other servers reach it at.
# In:  /ca/ca.p12 (the CA key), /ca/trust.p12, CAIRN_CLUSTER_TLS_PASSWORD, POD_NAME, POD_IP, SERVICE_NAMES
#      (space-separated DNS names of the pod's services, e.g. "cairn-core cairn-members")
# Out: /tls/server.p12, /tls/trust.p12
set -eu
umask 077
export CAIRN_TLS_PASSWORD="$CAIRN_CLUSTER_TLS_PASSWORD"
work=$(mktemp -d)
san="IP:$POD_IP,IP:127.0.0.1,DNS:localhost"
for service in $SERVICE_NAMES; do
  san="$san,DNS:$POD_NAME.$service"
done
keytool -genkeypair -alias "$POD_NAME" -keyalg EC -groupname secp256r1 -validity 30 -dname "CN=$POD_NAME" \
  -keystore "$work/server.p12" -storetype PKCS12 -storepass:env CAIRN_TLS_PASSWORD
keytool -certreq -alias "$POD_NAME" -keystore "$work/server.p12" -file "$work/req.csr" -storepass:env CAIRN_TLS_PASSWORD
keytool -gencert -alias ca -keystore /ca/ca.p12 -infile "$work/req.csr" -outfile "$work/cert.pem" -rfc -validity 30 \
  -ext "SAN=$san" -ext KU=digitalSignature -ext EKU=serverAuth,clientAuth -storepass:env CAIRN_TLS_PASSWORD
keytool -exportcert -rfc -alias ca -keystore /ca/ca.p12 -file "$work/ca.pem" -storepass:env CAIRN_TLS_PASSWORD
cat "$work/cert.pem" "$work/ca.pem" > "$work/chain.pem"
keytool -importcert -noprompt -alias "$POD_NAME" -file "$work/chain.pem" -keystore "$work/server.p12" \
  -storepass:env CAIRN_TLS_PASSWORD
cp "$work/server.p12" /tls/server.p12
cp /ca/trust.p12 /tls/trust.p12
rm -rf "$work"
