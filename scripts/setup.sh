#!/usr/bin/env bash
# Prepares this machine to run and test jobyard. Idempotent: each step checks first and
# does nothing when its work is done, so a second run takes a second or two.
#
#   1. Debian packages: docker.io, busybox-static, docker-registry, apache2-utils,
#      python3-kubernetes (the Python client the e2e tests drive)
#      (+ chromium and fonts with --with-browser, for the browser tests)
#   2. a Docker engine: starts dockerd when none answers (no systemd needed)
#   3. local images: busybox:1.36, busybox:latest, jobyard/pause:latest (scripts/images/build.sh)
#      (+ jobyard/workqueue:latest with --with-examples: the work-queue examples' Redis and
#      Python worker, from debootstrap; built beside npm ci, about a minute the first time)
#   4. with --runtime containerd or both: jobyard's own containerd for the CRI runtime
#      (scripts/containerd.sh start: containerd + containernetworking-plugins, its config,
#      socket /run/jobyard/containerd/containerd.sock, the images above imported into it)
#   5. node_modules: npm ci when missing or older than package-lock.json
#   6. dist/: npm run build when a source is newer than the last build
#
# Usage: scripts/setup.sh [--with-browser] [--with-examples] [--runtime docker|containerd|both]
#        (as root: it installs packages, starts dockerd). --runtime: the engines pods may run on
#        (`jobyard server --runtime`); Docker is always set up (it builds the images); default docker.
# Environment: DOCKER_HOST (an engine to use instead of /var/run/docker.sock; setup starts
#              dockerd only for the default socket), JOBYARD_DOCKERD_LOG (dockerd's log when
#              setup starts it; default /var/log/jobyard-dockerd.log)
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"
started_at=$(date +%s%N)

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }

with_browser=0
with_examples=0
runtime=docker
usage_line="usage: scripts/setup.sh [--with-browser] [--with-examples] [--runtime docker|containerd|both]"
while [ $# -gt 0 ]; do
  case "$1" in
    --with-browser) with_browser=1 ;;
    --with-examples) with_examples=1 ;;
    --runtime | --runtime=*)
      if [ "$1" = --runtime ]; then
        [ $# -ge 2 ] || fail "--runtime needs a value ($usage_line)"
        runtime="$2"
        shift
      else
        runtime="${1#--runtime=}"
      fi
      case "$runtime" in docker | containerd | both) ;; *) fail "--runtime must be docker, containerd or both, not '$runtime'" ;; esac
      ;;
    -h | --help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument $1 ($usage_line)" ;;
  esac
  shift
done

[ "$(id -u)" -eq 0 ] || fail "run as root or with sudo (setup installs Debian packages and starts dockerd)"
command -v apt-get >/dev/null || fail "needs a Debian-based system with apt-get (or install docker.io, busybox-static, docker-registry, apache2-utils, python3-kubernetes by hand)"

# One setup at a time (npm start and npm test may race on a shared machine).
exec 9>"${TMPDIR:-/tmp}/jobyard-setup.lock"
if ! flock -n 9; then
  say "another setup is running; waiting for it"
  flock 9
fi

# --- 1. Debian packages -------------------------------------------------------------
# docker.io's Recommends are skipped (they pull needrestart, git, ...); of them we keep
# cgroupfs-mount (mounts cgroups where no init did) and apparmor where the kernel uses it.
packages=(docker.io busybox-static docker-registry apache2-utils cgroupfs-mount ca-certificates curl python3-kubernetes)
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || true)" = Y ]; then
  packages+=(apparmor)
fi
if [ "$with_browser" = 1 ]; then
  packages+=(chromium fonts-liberation fonts-dejavu-core fonts-wqy-zenhei)
fi
if [ "$with_examples" = 1 ]; then
  packages+=(debootstrap)
fi
missing=()
for pkg in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != installed ]; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  say "packages: all installed (${packages[*]})"
else
  step_at=$(date +%s%N)
  apt_log=/var/log/jobyard-setup-apt.log
  say "packages: installing ${missing[*]} with apt-get (log: $apt_log)"
  # Keep package scripts from starting services (dockerd, a registry on :5000): this
  # script starts dockerd itself, and tests start their own registries.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt_ok=1
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
  } >"$apt_log" 2>&1 || apt_ok=0
  [ "$made_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  if [ "$apt_ok" = 0 ]; then
    tail -n 20 "$apt_log" >&2
    fail "apt-get failed installing ${missing[*]} (full log: $apt_log)"
  fi
  say "packages: installed in $(elapsed "$step_at")"
fi

# --- 2. Docker engine ---------------------------------------------------------------
docker_answers() { timeout 20 docker info >/dev/null 2>&1; }
engine="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if docker_answers; then
  say "docker: engine answers at $engine"
else
  # Only the default socket: a second engine beside another one would need its own
  # data-root, exec-root, pid file and bridge.
  case "$engine" in
    unix:///var/run/docker.sock | unix:///run/docker.sock) ;;
    *) fail "no Docker engine answers at DOCKER_HOST=$engine: start it, or unset DOCKER_HOST to let setup start dockerd" ;;
  esac
  dockerd_log="${JOBYARD_DOCKERD_LOG:-/var/log/jobyard-dockerd.log}"
  step_at=$(date +%s%N)
  pid_file=/var/run/docker.pid
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "docker: dockerd (pid $(cat "$pid_file")) is running but does not answer yet; waiting for it"
  else
    # A pid file left by a dockerd that died keeps a new one from starting.
    rm -f "$pid_file"
    # Without systemd nobody may have mounted the cgroup hierarchies dockerd needs.
    if ! grep -qE '^[^ ]+ /sys/fs/cgroup[/ ]' /proc/mounts && command -v cgroupfs-mount >/dev/null; then
      say "docker: mounting cgroups (cgroupfs-mount)"
      cgroupfs-mount
    fi
    say "docker: no engine answers at $engine; starting dockerd (log: $dockerd_log)"
    mkdir -p "$(dirname "$dockerd_log")"
    # setsid: dockerd outlives this script and the terminal's Ctrl-C.
    # 9>&-: dockerd must not inherit (and so hold forever) the set-up lock.
    setsid dockerd </dev/null >>"$dockerd_log" 2>&1 9>&- &
  fi
  deadline=$((SECONDS + 60))
  until docker_answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$dockerd_log" >&2 2>/dev/null || true
      fail "dockerd did not answer within 60 s (log: $dockerd_log)"
    fi
    sleep 0.5 # polling a readiness condition, bounded by the deadline above
  done
  say "docker: engine ready after $(elapsed "$step_at")"
fi

# --- 3. images (before the build: they need only the engine) ---------------------
scripts/images/build.sh
# The local mirror, so `image: busybox` (pull policy Always) pulls without internet.
scripts/images/mirror.sh
# The examples' image builds from Debian's mirror (network and dpkg) while npm ci compiles.
examples_pid=""
if [ "$with_examples" = 1 ]; then
  examples_log="${TMPDIR:-/tmp}/jobyard-workqueue-image.log"
  scripts/images/workqueue.sh >"$examples_log" 2>&1 9>&- &
  examples_pid=$!
fi

# --- 4. containerd (its images come from Docker's, built above) ----------------------------
if [ "$runtime" != docker ]; then
  # 9>&-: containerd must not hold the set-up lock.
  scripts/containerd.sh start 9>&-
fi

# --- 5. node_modules ----------------------------------------------------------------
# npm writes node_modules/.package-lock.json last; it is older than package-lock.json
# when the lock changed (git pull, an edit) after the last install.
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm: node_modules up to date"
else
  step_at=$(date +%s%N)
  npm_log="${TMPDIR:-/tmp}/jobyard-npm-ci.log"
  say "npm: npm ci (better-sqlite3 compiles from source: 2-4 minutes; log: $npm_log)"
  if ! npm ci --no-audit --no-fund >"$npm_log" 2>&1; then
    tail -n 30 "$npm_log" >&2
    fail "npm ci failed (full log: $npm_log)"
  fi
  say "npm: installed in $(elapsed "$step_at")"
fi

# --- 6. build -----------------------------------------------------------------------
# dist/.build-stamp has the mtime of the start of the last good build; any source
# (not a test) changed since then means build again.
stamp=dist/.build-stamp
source_paths=(api machinery server client controllers agent dns logs clusters cli cmd web bin
  package.json package-lock.json tsconfig.json tsconfig.build.json)
existing_sources=()
for p in "${source_paths[@]}"; do [ -e "$p" ] && existing_sources+=("$p"); done
newer_source() {
  find "${existing_sources[@]}" \( -name node_modules -o -name dist \) -prune -o \
    -type f ! -name '*.test.ts' ! -name '*.test.tsx' -newer "$stamp" -print -quit
}
if [ -f "$stamp" ] && [ -z "$(newer_source)" ]; then
  say "build: dist/ up to date"
else
  step_at=$(date +%s%N)
  build_started_s=$(date +%s)
  say "build: npm run build"
  npm run --silent build || fail "npm run build failed (see above)"
  mkdir -p dist
  # Stamped with the build's start: a file saved during the build triggers the next one.
  touch -d "@$build_started_s" "$stamp"
  say "build: done in $(elapsed "$step_at")"
fi

if [ -n "$examples_pid" ]; then
  if ! wait "$examples_pid"; then
    cat "$examples_log" >&2
    fail "the work-queue image failed to build (log: $examples_log)"
  fi
  say "$(tail -n 1 "$examples_log")"
  [ "$runtime" = docker ] || scripts/containerd.sh images --with-examples 9>&-
fi

say "ready in $(elapsed "$started_at")"
