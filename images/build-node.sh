#!/usr/bin/env bash
# Builds ailtire/node:local: ailtire/base:local plus Debian's docker.io (dockerd, containerd, runc) and what
# dockerd needs inside a container (iptables for its NAT rules, ca-certificates, procps, iproute2), so that
# scripts/cluster can run a Docker engine in each node container and make a multi-node swarm of them.
# Nothing is pulled from a registry. The image's command is /usr/local/bin/node-entrypoint, which starts
# dockerd with the arguments it is given (scripts/cluster passes the extra -H socket). Set REBUILD=1 to rebuild.
set -euo pipefail

IMAGE=${1:-ailtire/node:local}
BASE_IMAGE=${BASE_IMAGE:-ailtire/base:local}

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { log "$BASE_IMAGE missing: run images/build-base.sh first"; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

cat >"$ctx/entrypoint.sh" <<'EOF'
#!/bin/sh
# Runs dockerd as PID 1's only child (tini-less: dockerd reaps its own children; `exec` keeps signals direct).
set -eu
# A restarted container keeps /var/lib/docker (a volume) but gets a fresh /run: stale pid files and
# sockets of the previous dockerd/containerd must not stop the new ones.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid 2>/dev/null || true
# Debian's iptables defaults to nft; the host's kernel may only have the legacy tables loaded. Pick the one
# that works (dockerd fails to start without a working iptables).
if ! iptables -nL >/dev/null 2>&1 && command -v iptables-legacy >/dev/null; then
  update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
  update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null
fi
# cgroup v1 hosts: the node's cgroup mount is the host's tree, mounted in; nothing to do. cgroup v2 hosts
# would need nesting set-up, which this machine does not have.
exec dockerd "$@"
EOF

cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_IMAGE
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables ca-certificates procps iproute2 \\
      kmod >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \\
 && mkdir -p /etc/docker
COPY entrypoint.sh /usr/local/bin/node-entrypoint
RUN chmod 0755 /usr/local/bin/node-entrypoint
VOLUME /var/lib/docker
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/node-entrypoint"]
EOF

log "building $IMAGE"
out=$(docker build -q -t "$IMAGE" "$ctx" 2>&1) || { echo "$out"; log "docker build of $IMAGE failed"; exit 1; }
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
