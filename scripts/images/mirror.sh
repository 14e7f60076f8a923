#!/usr/bin/env bash
# The local image mirror: Debian's docker-registry on 127.0.0.1:5000, set as dockerd's
# registry mirror, holding the images jobyard builds (library/busybox:1.36 and :latest).
# Why: `image: busybox` means imagePullPolicy Always (upstream's default for :latest), and
# on a machine without internet Docker Hub cannot answer; dockerd asks the mirror first for
# docker.io images and falls back to Docker Hub for anything the mirror lacks, so online
# machines lose nothing.
#
# Steps (each idempotent, one line each):
#   1. /etc/docker/daemon.json gets "registry-mirrors": ["http://127.0.0.1:5000"] unless it
#      already names mirrors; a running dockerd reloads it on SIGHUP (a live-reloadable key).
#   2. the registry runs (started with setsid; data in /var/lib/jobyard/mirror; log in
#      /var/log/jobyard-mirror.log) unless something answers at 127.0.0.1:5000/v2/.
#   3. the images are pushed when the mirror does not hold the local image's digest.
#
# Usage: scripts/images/mirror.sh
set -euo pipefail

say() { printf 'mirror: %s\n' "$*"; }
fail() { printf 'mirror: %s\n' "$*" >&2; exit 1; }

addr=127.0.0.1:5000
data=/var/lib/jobyard/mirror
log=/var/log/jobyard-mirror.log
daemon_json=/etc/docker/daemon.json

command -v docker-registry >/dev/null || fail "docker-registry is not installed: run scripts/setup.sh"

# --- 1. dockerd's mirror setting ------------------------------------------------------
mkdir -p /etc/docker
changed=$(node -e '
  const fs = require("fs"); const p = process.argv[1]; const mirror = "http://" + process.argv[2];
  let cfg = {};
  try { cfg = JSON.parse(fs.readFileSync(p, "utf8")); } catch (e) { if (e.code !== "ENOENT") { console.error(p + ": " + e.message); process.exit(2); } }
  if (Array.isArray(cfg["registry-mirrors"]) && cfg["registry-mirrors"].length) { console.log("kept"); process.exit(0); }
  cfg["registry-mirrors"] = [mirror];
  fs.writeFileSync(p, JSON.stringify(cfg, null, 2) + "\n");
  console.log("added");
' "$daemon_json" "$addr")
if [ "$changed" = added ]; then
  if [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    kill -HUP "$(cat /var/run/docker.pid)"
    say "dockerd: registry mirror http://$addr added to $daemon_json and reloaded"
  else
    say "dockerd: registry mirror http://$addr added to $daemon_json"
  fi
else
  say "dockerd: $daemon_json already names registry mirrors (kept)"
fi

# --- 2. the registry ------------------------------------------------------------------
answers() { curl -fsS -o /dev/null --max-time 2 "http://$addr/v2/" 2>/dev/null; }
if answers; then
  say "registry: answers at $addr"
else
  mkdir -p "$data"
  cat >"$data/config.yml" <<CFG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $data/storage
  delete:
    enabled: true
http:
  addr: $addr
CFG
  # setsid: it outlives this script; 9>&-: it must not hold the set-up lock.
  setsid docker-registry serve "$data/config.yml" </dev/null >>"$log" 2>&1 9>&- &
  for _ in $(seq 1 40); do answers && break; sleep 0.25; done
  answers || { tail -n 20 "$log" >&2 || true; fail "the registry did not answer at $addr (log: $log)"; }
  say "registry: started at $addr (data: $data, log: $log)"
fi

# --- 3. the images ------------------------------------------------------------------
for tag in 1.36 latest; do
  local_id=$(docker image inspect -f '{{.Id}}' "busybox:$tag" 2>/dev/null) || fail "busybox:$tag is missing: run scripts/images/build.sh"
  stamp="$data/pushed-busybox-$tag"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$local_id" ] &&
    curl -fsS -o /dev/null --max-time 2 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$addr/v2/library/busybox/manifests/$tag"; then
    say "images: library/busybox:$tag is up to date"
    continue
  fi
  docker tag "busybox:$tag" "$addr/library/busybox:$tag"
  docker push -q "$addr/library/busybox:$tag" >/dev/null
  docker rmi "$addr/library/busybox:$tag" >/dev/null
  echo "$local_id" >"$stamp"
  say "images: pushed library/busybox:$tag"
done
