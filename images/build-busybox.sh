#!/usr/bin/env bash
# Builds the local image ailtire/busybox:local from Debian's busybox-static (no registry needed).
# The demo application and the integration tests run their services on it.
set -euo pipefail
IMAGE=${1:-ailtire/busybox:local}

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  echo "[images] $IMAGE present"; exit 0
fi
if [ ! -x /bin/busybox ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq busybox-static >/dev/null
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,var/www,root}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$IMAGE" >/dev/null
echo "[images] built $IMAGE"
