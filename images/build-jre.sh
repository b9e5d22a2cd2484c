#!/usr/bin/env bash
# Builds ailtire/jre:local: ailtire/base:local plus the Java runtime scripts/jlink-runtime makes (cut down with
# jlink to the modules the controller needs). Set REBUILD=1 to rebuild an existing image, EXTRA_MODULES=a,b to add
# modules.
set -euo pipefail

IMAGE=${1:-ailtire/jre:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}
PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }

work=$(mktemp -d /var/tmp/ailtire-jre.XXXXXX)
trap 'rm -rf "$work"' EXIT
modules=$("$PROJECT_DIR/scripts/jlink-runtime" "$work/jre" | tail -1)
cat >"$work/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY jre /opt/java
ENV JAVA_HOME=/opt/java \\
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.ailtire.jre.version="$("$work/jre/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ { print $2 }')" \\
      org.ailtire.jre.modules="$modules"
CMD ["java", "-version"]
EOF
out=$(docker build -q -t "$IMAGE" "$work" 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
docker run --rm "$IMAGE" java -Xshare:on -version >/dev/null 2>&1 || { log "$IMAGE: java -version failed"; exit 1; }
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
