#!/usr/bin/env bash
# The console against a real deployment: rebuilds the controller image from this tree, deploys examples/shop
# (three levels: shop -> backend -> db) with the CLI, runs e2e/real.test.mjs in headless chromium (a killed task of
# backend's api shows live; the grandchild backend/db/store log shows "store ready"), then shuts the application
# down with the CLI, removes the database's volume (shutdown keeps named volumes) and checks that nothing of it is
# left on the swarm. Needs the local swarm and the images
# built by images/build-all.sh; chromium and e2e/node_modules as installed by e2e/run.sh.
# Usage: bash e2e/run-real.sh   (APP, PORT, ADMIN_PORT and IMAGE may be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${APP:-e2eshop}
PORT=${PORT:-18090}
ADMIN_PORT=${ADMIN_PORT:-18091}
# Its own tag, so a run does not replace the controller:local image that other work on this machine uses.
IMAGE=${IMAGE:-ailtire/controller:e2e-console}

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
log() { echo "[e2e-real] $*"; }

bash images/build-controller.sh "$IMAGE"
jar=$(ls target/ailtire-swarm-*.jar | grep -v -- '-sources\|-javadoc' | head -1)
# The CLI keeps the application's token in <home>/.ailtire; a private home keeps it out of the user's.
home=$(mktemp -d)
# The definitions with a database password of their own (db.yml's secret file), as scripts/demo makes one.
cp examples/shop/stack.yml examples/shop/backend.yml examples/shop/db.yml "$home/"
od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$home/db-password.txt"
cli() { "$java_bin" -Duser.home="$home" -jar "$jar" "$@"; }

leftovers() {
  {
    docker service ls --format '{{.Name}}'
    docker network ls --format '{{.Name}}'
    docker config ls --format '{{.Name}}'
    docker secret ls --format '{{.Name}}'
    docker volume ls --format '{{.Name}}'
  } | grep -E "^(ailtire-)?${APP}([-_]|$)" || true
}

cleanup() {
  local status=$?
  log "shutting $APP down"
  cli shutdown --app "$APP" --yes || status=1
  # Shutdown keeps the database's named volume (as `docker stack rm` does): removed deliberately, once it is free.
  for _ in $(seq 1 30); do
    docker volume inspect "$APP-backend-db_pgdata" >/dev/null 2>&1 || break
    docker volume rm "$APP-backend-db_pgdata" >/dev/null 2>&1 && break
    sleep 1
  done
  for _ in $(seq 1 60); do
    [[ -z "$(leftovers)" ]] && break
    sleep 2
  done
  if [[ -n "$(leftovers)" ]]; then
    log "left behind on the swarm:"; leftovers; status=1
  else
    log "nothing of $APP is left on the swarm"
  fi
  rm -rf "$home"
  exit $status
}

if [[ -n "$(leftovers)" ]]; then
  log "objects of $APP already exist (a previous run?); remove them first:"; leftovers; exit 1
fi
trap cleanup EXIT
log "deploying examples/shop as $APP on port $PORT (admin port $ADMIN_PORT)"
cli deploy -f "$home/stack.yml" --app "$APP" --port "$PORT" --admin-port "$ADMIN_PORT" --image "$IMAGE"

CONSOLE_TOKEN=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).token)' \
  "$home/.ailtire/$APP.json")
export CONSOLE_TOKEN
export CONSOLE_URL="http://127.0.0.1:$ADMIN_PORT/_ailtire/"
export API_SERVICE="$APP-backend_api"
node e2e/real.test.mjs
