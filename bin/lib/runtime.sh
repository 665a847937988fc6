# shellcheck shell=bash
# Sourced by bin/cairn: uses its globals (ROOT, VAR, OFFSET, HOST, ...) and helpers (die, say).
# --- build and runtime -------------------------------------------------------------------------
liberty_version() {
  sed -n 's:.*<liberty.runtime.version>\(.*\)</liberty.runtime.version>.*:\1:p' "$ROOT/pom.xml" | head -n1
}

s3proxy_version() {
  sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml" | head -n1
}

build() {
  say "building the EAR (mvn -DskipTests install)"
  (cd "$ROOT" && mvn -q -B -DskipTests install) || die "build failed"
}

ensure_built() {
  [ -f "$EAR" ] || build
  if [ ! -x "$WLP/bin/server" ]; then
    local version zip
    version=$(liberty_version)
    zip=${MAVEN_REPO:-$HOME/.m2/repository}/io/openliberty/openliberty-runtime/$version/openliberty-runtime-$version.zip
    if [ ! -f "$zip" ]; then
      say "fetching Open Liberty $version from Maven Central"
      mvn -q -B dependency:get -Dartifact="io.openliberty:openliberty-runtime:$version:zip" || die "cannot fetch the Liberty runtime"
    fi
    mkdir -p "$VAR"
    say "unpacking Open Liberty $version into $WLP"
    unzip -q -o "$zip" -d "$VAR" || die "cannot unpack $zip"
  fi
  if [ ! -f "$VAR/cluster-secret" ]; then
    mkdir -p "$VAR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$VAR/cluster-secret")
  fi
  local f
  for f in admin-password admin-readonly-password; do
    if [ ! -f "$VAR/$f" ]; then
      mkdir -p "$VAR"
      (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$VAR/$f")
    fi
  done
}
