#!/usr/bin/env bash
# Builds ailtire/registry:local: ailtire/base:local plus Debian's `docker-registry` (the CNCF distribution
# registry, v2 API) and `apache2-utils` (htpasswd -B: the registry accepts bcrypt entries only). Nothing is
# pulled from a registry; the packages come from the Debian mirror the base image's apt points at.
#
# The registry listens on :5000, plain HTTP, with HTTP basic auth; images are stored inside the container
# (/var/lib/docker-registry, an anonymous volume: remove the container with `docker rm -v`). Credentials are
# given at run time, either way:
#   docker run -d --name reg -p 127.0.0.1:5000:5000 -e REGISTRY_USER=ailtire -e REGISTRY_PASSWORD=secret \
#     ailtire/registry:local                      # htpasswd file generated at start
#   docker run -d --name reg -p 127.0.0.1:5000:5000 -v "$PWD/htpasswd:/auth/htpasswd:ro" \
#     ailtire/registry:local                      # your own file (htpasswd -nbB user password)
# then `docker login 127.0.0.1:5000` (the engine trusts 127.0.0.0/8 without TLS; other engines need the
# address under "insecure-registries" in daemon.json). A mounted /auth/htpasswd wins over the variables.
# Any registry setting can be overridden with REGISTRY_<SECTION>_<KEY> variables (distribution's own rule).
# Set REBUILD=1 to rebuild an existing image.
set -euo pipefail

IMAGE=${1:-ailtire/registry:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

cat >"$ctx/config.yml" <<'EOF'
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: ailtire-registry
    path: /auth/htpasswd
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF

cat >"$ctx/entrypoint.sh" <<'EOF'
#!/bin/sh
# Uses a mounted /auth/htpasswd as is; otherwise writes one (bcrypt) from REGISTRY_USER/REGISTRY_PASSWORD.
set -eu
if [ ! -s /auth/htpasswd ]; then
  if [ -z "${REGISTRY_USER:-}" ] || [ -z "${REGISTRY_PASSWORD:-}" ]; then
    echo "ailtire/registry: mount /auth/htpasswd or set REGISTRY_USER and REGISTRY_PASSWORD" >&2
    exit 2
  fi
  mkdir -p /auth
  htpasswd -nbB "$REGISTRY_USER" "$REGISTRY_PASSWORD" >/auth/htpasswd
fi
# The password must not linger in the registry's environment (it would show in /proc/1/environ), and the
# registry reads every REGISTRY_* variable as a setting (it warns about unknown ones).
unset REGISTRY_USER REGISTRY_PASSWORD
exec /usr/bin/docker-registry serve /etc/docker/registry/config.yml
EOF

cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_IMAGE
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \\
 && mkdir -p /auth /var/lib/docker-registry
COPY config.yml /etc/docker/registry/config.yml
COPY entrypoint.sh /usr/local/bin/registry-entrypoint
RUN chmod 0755 /usr/local/bin/registry-entrypoint
VOLUME /var/lib/docker-registry
EXPOSE 5000
ENTRYPOINT ["/usr/local/bin/registry-entrypoint"]
EOF

log "building $IMAGE"
out=$(docker build -q -t "$IMAGE" "$ctx" 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
