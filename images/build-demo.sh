#!/usr/bin/env bash
# Builds the demo application's images (examples/shop) on ailtire/base:local, from Debian's packages:
#   ailtire/demo-web:local    nginx serving the shop's page (the top stack's `web`)
#   ailtire/demo-store:local  the orders API, Python with psycopg2 (the db stack's `store`)
#   ailtire/demo-db:local     PostgreSQL 15, initialised on first start (the db stack's `postgres`)
# Sources in images/demo/<name>/. Present images are kept; REBUILD=1 rebuilds them (Docker's layer cache makes
# that quick while the Dockerfile and files are unchanged). Usage: build-demo.sh [web|store|db ...]
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}

log() { echo "[images] $*"; }

docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(web store db)
for name in "${names[@]}"; do
  image=ailtire/demo-$name:local
  if docker image inspect "$image" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
    log "$image present"; continue
  fi
  [ -f "$DIR/demo/$name/Dockerfile" ] || { log "no image $name (images/demo/$name)"; exit 1; }
  log "building $image"
  out=$(docker build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$image" "$DIR/demo/$name" 2>&1) \
    || { echo "$out"; log "docker build of $image failed"; exit 1; }
  log "built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
done
