#!/usr/bin/env bash
# Builds jobyard/workqueue:latest, the image of the work-queue examples (Kubernetes' "Fine
# Parallel Processing Using a Work Queue" and "Coarse Parallel Processing Using a Work Queue",
# adapted only in their images): a Debian 12 root from debootstrap (minbase) with Debian's
# redis-server (the queue), python3 + python3-redis (the workers' client) and our worker
# scripts in /usr/local/bin (scripts/images/workqueue/: rediswq.py, worker.py).
# One image for server and workers: one debootstrap, half the build time, and a pod picks its
# role by its command (redis-server, or worker.py).
#
# debootstrap installs the packages itself (--include), so there is no Dockerfile step and no
# builder: a root filesystem packed with `docker import`, as scripts/images/build.sh does.
# Rebuilt only when missing or when this script or the worker scripts changed (label
# org.jobyard.build); the packages come from the host's Debian mirror (/etc/apt sources).
#
# Usage: scripts/images/workqueue.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ref=jobyard/workqueue:latest
packages=redis-server,python3-redis
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "workqueue: unknown argument $arg (usage: scripts/images/workqueue.sh [--force])" >&2; exit 2 ;;
  esac
done

say() { printf 'workqueue: %s\n' "$*"; }
fail() { printf 'workqueue: %s\n' "$*" >&2; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }

docker info >/dev/null 2>&1 || fail "no Docker engine answers: run scripts/setup.sh (starts dockerd)"
inputs_hash="$(cat "${BASH_SOURCE[0]}" "$here"/workqueue/* | sha256sum | cut -c1-16)"
label="$(docker image inspect --format '{{ index .Config.Labels "org.jobyard.build" }}' "$ref" 2>/dev/null || true)"
if [ "$force" = 0 ] && [ "$label" = "$inputs_hash" ]; then
  say "$ref up to date (build $inputs_hash)"
  exit 0
fi
command -v debootstrap >/dev/null || fail "debootstrap is not installed: apt-get install debootstrap (scripts/setup.sh does)"

# The host's Debian mirror (deb822 or one-line sources), else Debian's CDN.
mirror="$(sed -nE 's/^URIs: *(http[^ ]*debian)\/?$/\1/p; s/^deb +(\[[^]]*\] +)?(http[^ ]*debian)\/? +bookworm .*/\2/p' \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | sed -n 1p || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

started_at=$(date +%s%N)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
say "building $ref: debootstrap bookworm (minbase + $packages) from $mirror"
if ! debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 20 "$work/debootstrap.log" >&2
  fail "debootstrap failed"
fi
install -m 0755 "$here/workqueue/rediswq.py" "$here/workqueue/worker.py" "$rootfs/usr/local/bin/"
# What an image needs no copy of: package caches and lists, logs of the build.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
replaced="$(docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)"
tar -C "$rootfs" --numeric-owner -cf - . |
  docker import \
    --message "jobyard: built by scripts/images/workqueue.sh (debootstrap bookworm minbase + $packages)" \
    --change "LABEL org.jobyard.build=$inputs_hash" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PYTHONUNBUFFERED=1' \
    --change 'CMD ["/bin/bash"]' \
    - "$ref" >/dev/null
[ -n "$replaced" ] && docker image rm "$replaced" >/dev/null 2>&1 || true
say "built $ref in $(elapsed "$started_at")"
