#!/usr/bin/env bash
# Builds every local image in dependency order: busybox, base, the original sidecar's double, jre, controller,
# then the demo's (web, store, db). Each step is idempotent
# (present images are kept; REBUILD=1 rebuilds them). Prints each step's time and each image's size.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)

log() { echo "[images] $*"; }
size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.1f MB", $1 / 1e6 }'; }

step() { # script image [script's arguments]
  local script=$1 image=$2 start
  shift 2
  start=$(date +%s.%N)
  "$DIR/$script" "$@"
  log "$(awk -v i="$image" -v s="$(size "$image")" -v a="$start" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%-26s %9s  %5.1fs", i, s, b - a }')"
}

step build-busybox.sh ailtire/busybox:local
step build-base.sh ailtire/base:local
step build-original-double.sh ailtire/original-double:local
step build-jre.sh ailtire/jre:local
step build-controller.sh ailtire/controller:local
step build-demo.sh ailtire/demo-web:local web
step build-demo.sh ailtire/demo-store:local store
step build-demo.sh ailtire/demo-db:local db
step build-registry.sh ailtire/registry:local
