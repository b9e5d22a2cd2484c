#!/usr/bin/env bash
# Requests failed during a rolling update under load (not a test): deploys a stack whose `web` (2 replicas, busybox
# httpd, start-first, one at a time) is routed at / through the top controller's gateway, runs wrk through that
# gateway on 127.0.0.1 and, while it runs, updates the stack so that both tasks are replaced (ROLLS times). Counts
# what wrk saw fail: non-2xx answers and socket errors. Appends a table to bench/results/gateway-roll.md.
#   bench/gateway/roll.sh                      # wrk -t2 -c32, 2 rolls
#   CONNECTIONS=64 ROLLS=3 bench/gateway/roll.sh
# Needs the engine with a swarm (.ci/docker-up), the images (images/build-all.sh) and wrk.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$PROJECT_DIR"
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
ROLLS=${ROLLS:-2}
PORT=${PORT:-18150}
ADMIN_PORT=${ADMIN_PORT:-18151}
IMAGE=${IMAGE:-ailtire/controller:local}
APP=bench-roll-$$
WORK=$(mktemp -d /tmp/gateway-roll.XXXXXX)
RESULTS=bench/results/gateway-roll.md
export HOME=$WORK/home   # the CLI's context file goes there, not into the user's ~/.ailtire
mkdir -p "$HOME"
log() { echo "[roll] $*" >&2; }
command -v wrk >/dev/null || { log "needs wrk: apt-get install wrk"; exit 1; }

cleanup() {
  [ -n "${WRK_PID:-}" ] && kill "$WRK_PID" 2>/dev/null || true
  scripts/ailtire-swarm shutdown --app "$APP" --yes >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

definition() { # marker
  cat <<YAML
services:
  web:
    image: ailtire/busybox:local
    command: ["sh", "-c", "mkdir -p /www && echo \"web \$\$MARKER\" > /www/index.html && httpd -f -p 8000 -h /www"]
    environment:
      MARKER: "$1"
    stop_grace_period: 2s
    deploy:
      replicas: 2
      update_config:
        parallelism: 1
        order: start-first
    x-ailtire:
      routes:
        - {path: /, port: 8000}
YAML
}

definition v0 > "$WORK/stack.yml"
log "deploying $APP (gateway 127.0.0.1:$PORT)"
scripts/ailtire-swarm deploy -f "$WORK/stack.yml" --app "$APP" --port "$PORT" --admin-port "$ADMIN_PORT" \
  --image "$IMAGE" --timeout PT3M >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log" >&2; exit 1; }
for _ in $(seq 1 100); do
  [ "$(curl -s "http://127.0.0.1:$PORT/")" = "web v0" ] && break
  sleep 0.2
done

# wrk for as long as the rolls take: started long, stopped (SIGINT prints its summary) after the last roll.
wrk -t"$THREADS" -c"$CONNECTIONS" -d600s "http://127.0.0.1:$PORT/" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!
sleep 3
started=$(date +%s)
for roll in $(seq 1 "$ROLLS"); do
  definition "v$roll" > "$WORK/stack.yml"
  log "roll $roll of $ROLLS: update to v$roll under load"
  scripts/ailtire-swarm update --app "$APP" -f "$WORK/stack.yml" >"$WORK/update-$roll.log" 2>&1 \
    || { cat "$WORK/update-$roll.log" >&2; exit 1; }
  [ "$(curl -s "http://127.0.0.1:$PORT/")" = "web v$roll" ] || { log "v$roll is not served after roll $roll"; exit 1; }
done
sleep 3
seconds=$(( $(date +%s) - started + 6 ))
kill -INT "$WRK_PID"; wait "$WRK_PID" || true; WRK_PID=
requests=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx/ { print $2 }' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt"); socket=${socket:-0}
kinds=$(awk '/Socket errors/ { sub(/^ *Socket errors: */, ""); print }' "$WORK/wrk.txt"); kinds=${kinds:-none}
rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
log "$requests requests in about $seconds s ($rps req/s), $non2xx non-2xx, $socket socket errors ($kinds)"
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# Requests failed during rolling updates under load"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; wrk -t$THREADS -c$CONNECTIONS through the top gateway on 127.0.0.1 while"
  echo "\`web\` (2 replicas, busybox httpd, start-first, one at a time, stop grace 2 s) was rolled $ROLLS times by"
  echo "\`ailtire-swarm update\` (each waits until the stack converged). Controller image $IMAGE."
  echo
  echo "| requests | req/s | non-2xx | socket errors | of them |"
  echo "|---:|---:|---:|---:|---|"
  echo "| $requests | $rps | $non2xx | $socket | $kinds |"
  echo
  echo "wrk counts a request unanswered within 2 s as a timeout."
} > "$RESULTS"
cat "$RESULTS"
