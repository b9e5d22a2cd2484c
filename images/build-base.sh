#!/usr/bin/env bash
# Builds ailtire/base:local: a minimal Debian 12 (bookworm) root filesystem made with
# `debootstrap --variant=minbase`, trimmed (no apt lists, docs, man pages, locales) and imported with
# `docker import`. Nothing is pulled from a registry; packages come from the Debian mirror this machine's
# apt already uses. Two caches under $CACHE_DIR make a rebuild (REBUILD=1) fast: the downloaded packages
# (a debootstrap tarball) and the finished root filesystem, keyed by this script and those packages.
# Delete $CACHE_DIR to start from the mirror again (e.g. for Debian point releases).
set -euo pipefail

IMAGE=${1:-ailtire/base:local}
SUITE=bookworm
CACHE_DIR=${CACHE_DIR:-/var/cache/ailtire}
TARBALL="$CACHE_DIR/debootstrap-$SUITE-minbase-amd64.tgz"

log() { echo "[images] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ -z "${REBUILD:-}" ]; then
  log "$IMAGE present"; exit 0
fi

# The first mirror URI that serves $SUITE itself (not -security or -updates) in apt's active sources:
# deb822 *.sources files and one-line *.list files (apt ignores other file names, and so do we).
debian_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      /^[[:space:]]*$/ { if (uri != "" && hit) { print uri; exit } uri = ""; hit = 0; next }
      /^URIs:/   { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END        { if (uri != "" && hit) print uri }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI suite components...
    sed -E 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2 }'
  done
}

MIRROR=${DEBIAN_MIRROR:-$(debian_mirror | head -1)}
[ -n "$MIRROR" ] || { log "no Debian $SUITE mirror found in /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"; exit 1; }

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
fi

mkdir -p "$CACHE_DIR"
if [ ! -s "$TARBALL" ]; then
  log "downloading $SUITE minbase packages from $MIRROR into $TARBALL"
  work=$(mktemp -d)
  # --make-tarball needs an empty target directory; it only downloads.
  debootstrap --variant=minbase --arch=amd64 --make-tarball="$TARBALL.part" "$SUITE" "$work/root" "$MIRROR" >/dev/null
  rm -rf "$work"
  mv "$TARBALL.part" "$TARBALL"
else
  log "using cached packages $TARBALL"
fi

import_rootfs() {
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase $SUITE from $MIRROR" - "$IMAGE" >/dev/null
  log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.1f MB", $1 / 1e6 }'))"
}

ROOTFS="$CACHE_DIR/rootfs-$SUITE-minbase-$(cat "$0" "$TARBALL" | sha256sum | cut -c1-16).tar"
if [ -s "$ROOTFS" ]; then
  log "importing the cached root filesystem $ROOTFS"
  import_rootfs <"$ROOTFS"
  exit 0
fi

root=$(mktemp -d /var/tmp/ailtire-base.XXXXXX)
trap 'rm -rf "$root" "$ROOTFS.part"' EXIT
log "installing $SUITE minbase into $root"
debootstrap --variant=minbase --arch=amd64 --unpack-tarball="$TARBALL" "$SUITE" "$root" "$MIRROR" >/dev/null

# Point the image's apt at the same mirror, and keep later installs inside it small as well.
cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
EOF
cat >"$root/etc/dpkg/dpkg.cfg.d/01-ailtire-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
cat >"$root/etc/apt/apt.conf.d/01-ailtire-minimal" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF

# Java resolves swarm service names through getaddrinfo, which reads nsswitch.conf (glibc's files and dns
# back ends are built into libc6 since 2.34). Docker supplies /etc/hosts and /etc/resolv.conf at run time.
if [ ! -s "$root/etc/nsswitch.conf" ]; then
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n' >"$root/etc/nsswitch.conf"
fi
grep -q '^hosts:.*dns' "$root/etc/nsswitch.conf" || { log "nsswitch.conf has no dns for hosts"; exit 1; }

log "trimming"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
       "$root"/var/log/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
       "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/var/lib/dpkg/*-old \
       "$root"/tmp/* "$root"/root/.bash_history
# Files that belong to the build machine or are made at run time by Docker.
rm -f "$root"/etc/hostname "$root"/etc/resolv.conf "$root"/etc/machine-id
: >"$root/etc/hostname"

rm -f "$CACHE_DIR/rootfs-$SUITE-minbase-"*.tar
tar --numeric-owner -C "$root" -cf "$ROOTFS.part" .
mv "$ROOTFS.part" "$ROOTFS"
import_rootfs <"$ROOTFS"
