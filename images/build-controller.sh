#!/usr/bin/env bash
# Builds ailtire/controller:local (and ailtire/controller:<project version>) from the project's jar and
# runtime libraries. Runs `mvnw package` first when target/ is missing or older than the sources. Docker's
# layer cache makes a rebuild with unchanged jars nearly free, so this always runs `docker build`.
#   BASE_IMAGE=eclipse-temurin:21-jre images/build-controller.sh   # another Java 21+ runtime image
set -euo pipefail

IMAGE=${1:-ailtire/controller:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/jre:local}
PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJECT_DIR"

log() { echo "[images] $*"; }

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

built_version() { sed -n 's/^version=//p' target/maven-archiver/pom.properties 2>/dev/null; }

stale() {
  local version jar
  version=$(built_version)
  [ -n "$version" ] || return 0
  jar="target/ailtire-swarm-$version.jar"
  [ -f "$jar" ] && [ -d target/lib ] || return 0
  [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]
}

if stale; then
  log "packaging the project (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi
VERSION=$(built_version)
JAR="target/ailtire-swarm-$VERSION.jar"
[ -f "$JAR" ] || { log "$JAR missing after the build"; exit 1; }

if [[ $BASE_IMAGE == ailtire/*:local ]] && ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "$BASE_IMAGE missing: run images/build-all.sh (or build-base.sh and build-jre.sh)"; exit 1
fi

log "building $IMAGE from $JAR on $BASE_IMAGE"
out=$(docker build \
  --build-arg BASE_IMAGE="$BASE_IMAGE" \
  --build-arg APP_JAR="$JAR" \
  --build-arg VERSION="$VERSION" \
  -t "$IMAGE" -t "${IMAGE%:*}:$VERSION" \
  -f images/controller/Dockerfile . 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
grep '^\[images\]' <<<"$out" || true
log "built $IMAGE and ${IMAGE%:*}:$VERSION ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
