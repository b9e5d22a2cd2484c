#!/usr/bin/env bash
# Builds ailtire/jre:local: ailtire/base:local plus a Java runtime cut down with jlink to the modules the
# controller needs, from a JDK on this machine ($JAVA_HOME if it is a JDK >= 21, else Temurin 25).
#
# Modules: what jdeps finds in target/*.jar and target/lib/*.jar (if the project is built), united with a
# known-good list of modules the libraries load reflectively (which jdeps cannot see), minus EXCLUDED_MODULES.
# Set REBUILD=1 to rebuild an existing image, EXTRA_MODULES=a,b to add modules.
set -euo pipefail

IMAGE=${1:-ailtire/jre:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}
PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)

# Known good for docker-java (httpclient5 over a unix socket through JNA), Jackson, Vert.x 5 / Netty,
# Logback, SLF4J, picocli, snakeyaml-engine, BouncyCastle:
#   java.logging       JUL (Vert.x default logging, Guava, JNA)
#   java.management    JMX beans (Logback, Netty's platform probing)
#   java.naming        JNDI (Logback, BouncyCastle; Netty's DNS provider lookup) + jdk.naming.dns
#   java.xml           Logback configuration files
#   java.sql           java.sql.Timestamp/Date support in Jackson
#   java.security.jgss Kerberos types referenced by httpclient5
#   java.compiler      annotation types referenced by Guava's error_prone annotations
#   jdk.unsupported    sun.misc.Unsafe (Netty, JNA)
#   jdk.management     com.sun.management beans (container memory/CPU in metrics)
#   java.net.http, jdk.crypto.ec, jdk.zipfs: small and commonly needed (HTTP client, EC keys, zip files)
FALLBACK_MODULES=java.base,java.compiler,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
# java.desktop (+15 MB: AWT, fonts, sound) is only referenced for java.beans annotations that Jackson and
# commons-lang3 probe optionally, and for AWT helpers of JNA and commons-compress that docker-java never calls.
EXCLUDED_MODULES=${EXCLUDED_MODULES:-java.desktop}

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }

feature_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }'; }

JDK=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && [ -x "$candidate/bin/jdeps" ] || continue
  if [ "$(feature_version "$candidate")" -ge 21 ]; then JDK=$candidate; break; fi
done
[ -n "$JDK" ] || { log "no JDK >= 21 with jlink found (set JAVA_HOME)"; exit 1; }
VERSION=$(feature_version "$JDK")
log "jlink from $JDK (Java $VERSION)"

modules=$FALLBACK_MODULES
shopt -s nullglob
jars=("$PROJECT_DIR"/target/*.jar "$PROJECT_DIR"/target/lib/*.jar)
if [ ${#jars[@]} -gt 0 ]; then
  found=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$VERSION" "${jars[@]}" 2>/dev/null | tail -1)
  log "jdeps over ${#jars[@]} jars: $found"
  modules="$modules,$found"
else
  log "project not built (no target/*.jar): using the known-good module list"
fi
[ -n "${EXTRA_MODULES:-}" ] && modules="$modules,$EXTRA_MODULES"
excluded=",$EXCLUDED_MODULES,"
modules=$(tr ',' '\n' <<<"$modules" | grep -v '^$' | sort -u | while read -r m; do
  [[ $excluded == *",$m,"* ]] || echo "$m"; done | paste -sd, -)
log "modules: $modules"

work=$(mktemp -d /var/tmp/ailtire-jre.XXXXXX)
trap 'rm -rf "$work"' EXIT
# --generate-cds-archive gives the runtime its default class-data archive (fast `java -version`, and the base
# layer for the controller's own AppCDS archive).
"$JDK/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --generate-cds-archive --output "$work/jre" >/dev/null
# The archive for uncompressed oops is only used with heaps above 32 GB; a controller never has one.
rm -f "$work/jre/lib/server/classes_nocoops.jsa"
log "runtime: $(du -sm "$work/jre" | cut -f1) MB"

cat >"$work/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY jre /opt/java
ENV JAVA_HOME=/opt/java \\
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.ailtire.jre.version="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ { print $2 }')" \\
      org.ailtire.jre.modules="$modules"
CMD ["java", "-version"]
EOF
out=$(docker build -q -t "$IMAGE" "$work" 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
docker run --rm "$IMAGE" java -Xshare:on -version >/dev/null 2>&1 || { log "$IMAGE: java -version failed"; exit 1; }
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
