#!/usr/bin/env bash
# Builds ailtire/original-double:local: a protocol double of the original ailtire swarm sidecar (Node.js,
# images/original-double/server.js, written from shared/original-sidecar-protocol.md) on ailtire/base:local
# with Debian's nodejs and the docker CLI of Debian's docker.io (the original shells out to the CLI too).
# Only the CLI binary is taken from docker.io: the double talks to the engine of the mounted socket and needs
# no dockerd, containerd or runc. Nothing is pulled from a registry. Set REBUILD=1 to rebuild.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)

IMAGE=${1:-ailtire/original-double:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$DIR/original-double/server.js" "$ctx/server.js"

cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs >/dev/null \\
 && cd /tmp && apt-get download -qq docker.io \\
 && dpkg-deb -x docker.io_*.deb /tmp/docker.io \\
 && install -m 0755 /tmp/docker.io/usr/bin/docker /usr/local/bin/docker \\
 && rm -rf /tmp/docker.io /tmp/docker.io_*.deb /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \\
      /usr/share/doc /usr/share/man \\
 && mkdir -p /app
COPY server.js /usr/local/lib/original-double/server.js
WORKDIR /app
EXPOSE 3000
ENTRYPOINT ["node", "/usr/local/lib/original-double/server.js"]
DOCKERFILE

log "building $IMAGE"
out=$(docker build -q -t "$IMAGE" "$ctx" 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
