#!/usr/bin/env bash
# Builds the container images that jobyard's tests and demo need, with no registry and
# no internet, from Debian's busybox-static (see scripts/images/README.md):
#
#   busybox:1.36, busybox:latest   /bin/busybox + a symlink per applet (sh, echo, sleep,
#                                  cat, httpd, nc, wget, ...), /etc/passwd, /tmp; CMD ["sh"]
#   jobyard/pause:latest           the pod sandbox: ENTRYPOINT ["/pause"] (scripts/images/pause.sh)
#
# An image is rebuilt only when it is missing or was built from other inputs (this script,
# pause.sh, the busybox binary): each carries the label org.jobyard.build=<hash of inputs>.
# `busybox` resolves to docker.io/library/busybox:latest, so `docker run busybox` and a pod
# with `image: busybox` use the local image.
#
# Usage: scripts/images/build.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images: unknown argument $arg (usage: scripts/images/build.sh [--force])" >&2; exit 2 ;;
  esac
done

say() { printf 'images: %s\n' "$*"; }
fail() { printf 'images: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || fail "no docker client: run scripts/setup.sh (installs docker.io)"
docker info >/dev/null 2>&1 || fail "no Docker engine answers: run scripts/setup.sh (starts dockerd)"

# The static binary from Debian's busybox-static (a dynamic busybox would not run in an
# image that has no libc).
# (No `| head` or `| grep -q` anywhere: under pipefail the writer's SIGPIPE fails the script.)
busybox_bin=""
if command -v dpkg-query >/dev/null && [ "$(dpkg-query -W -f='${db:Status-Status}' busybox-static 2>/dev/null || true)" = installed ]; then
  busybox_bin="$(dpkg -L busybox-static | grep -E '/s?bin/busybox$' || true)"
  busybox_bin="${busybox_bin%%$'\n'*}"
fi
if [ -z "$busybox_bin" ] || [ ! -x "$busybox_bin" ]; then
  fail "busybox-static is not installed: apt-get install busybox-static (scripts/setup.sh does)"
fi
busybox_help="$("$busybox_bin" --help 2>&1 || true)"
busybox_version="$(sed -E 's/^BusyBox (v[^ ]+).*/\1/' <<<"${busybox_help%%$'\n'*}")"

inputs_hash="$(cat "${BASH_SOURCE[0]}" "$here/pause.sh" "$busybox_bin" | sha256sum | cut -c1-16)"

# label_of REF: the org.jobyard.build label of a local image, empty when it is missing.
label_of() {
  docker image inspect --format '{{ index .Config.Labels "org.jobyard.build" }}' "$1" 2>/dev/null || true
}

# up_to_date REF...: every REF exists and was built from these inputs.
up_to_date() {
  [ "$force" = 0 ] || return 1
  local ref
  for ref in "$@"; do
    [ "$(label_of "$ref")" = "$inputs_hash" ] || return 1
  done
}

# image_ids REF...: the ids of those of REF... that exist.
image_ids() {
  local ref
  for ref in "$@"; do docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true; done
}

# remove_replaced ID...: removes images we replaced, unless still tagged or used by a container.
remove_replaced() {
  local id
  for id in "$@"; do docker image rm "$id" >/dev/null 2>&1 || true; done
}

# import ROOTFS REF [--change ...]: packs ROOTFS (root-owned, fixed mtimes) into an image.
import() {
  local rootfs="$1" ref="$2"
  shift 2
  tar -C "$rootfs" --sort=name --numeric-owner --owner=0 --group=0 --mtime='@0' -cf - . |
    docker import \
      --message "jobyard: built by scripts/images/build.sh from Debian busybox-static $busybox_version" \
      --change "LABEL org.jobyard.build=$inputs_hash org.jobyard.busybox-version=$busybox_version" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$@" - "$ref" >/dev/null
}

# base_rootfs DIR: the files every image here has.
base_rootfs() {
  local dir="$1"
  mkdir -p "$dir"/{bin,dev,etc,home,proc,root,sys,tmp,usr/bin,usr/sbin,var/spool/mail,var/www}
  chmod 1777 "$dir/tmp"
  chmod 700 "$dir/root"
  install -m 0755 "$busybox_bin" "$dir/bin/busybox"
  cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
  cat >"$dir/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
www-data:x:33:
nogroup:x:65534:
GROUP
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# busybox:1.36 and busybox:latest (Debian 12 ships busybox 1.35; the tag is the one the
# busybox example of docs/product.md and our tests name).
if up_to_date busybox:1.36 busybox:latest; then
  say "busybox:1.36, busybox:latest up to date (busybox $busybox_version, build $inputs_hash)"
else
  say "building busybox:1.36, busybox:latest from $busybox_bin ($busybox_version)"
  replaced="$(image_ids busybox:1.36 busybox:latest)"
  rootfs="$work/busybox"
  base_rootfs "$rootfs"
  for applet in $("$busybox_bin" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  # For `#!/usr/bin/env sh` scripts.
  ln -s ../../bin/busybox "$rootfs/usr/bin/env"
  import "$rootfs" busybox:1.36 --change 'CMD ["sh"]'
  docker tag busybox:1.36 busybox:latest
  # shellcheck disable=SC2086 # one id per word
  remove_replaced $replaced
fi

# jobyard/pause:latest: static busybox, /pause as PID 1 (entrypoint, no CMD).
if up_to_date jobyard/pause:latest; then
  say "jobyard/pause:latest up to date (build $inputs_hash)"
else
  say "building jobyard/pause:latest (ENTRYPOINT [\"/pause\"])"
  replaced="$(image_ids jobyard/pause:latest)"
  rootfs="$work/pause"
  base_rootfs "$rootfs"
  for applet in sh sleep; do ln -s busybox "$rootfs/bin/$applet"; done
  install -m 0755 "$here/pause.sh" "$rootfs/pause"
  import "$rootfs" jobyard/pause:latest --change 'ENTRYPOINT ["/pause"]'
  # shellcheck disable=SC2086
  remove_replaced $replaced
fi
