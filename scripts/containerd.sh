#!/usr/bin/env bash
# jobyard's own containerd, for `jobyard server --runtime containerd` (the node then runs pods
# through the CRI, as every Kubernetes node since 1.24 does). It never touches a containerd that
# Docker or anyone else uses: its own config, socket, ttrpc socket, root, state, runc root,
# CNI config and bridge.
#
#   config    /etc/jobyard/containerd/config.toml   (version 2, CRI plugin on)
#   socket    /run/jobyard/containerd/containerd.sock (the kubelet's --container-runtime-endpoint)
#   root      /var/lib/jobyard/containerd            state /run/jobyard/containerd
#   registry  /etc/jobyard/containerd/certs.d        (127.0.0.1:5000 over plain HTTP; docker.io
#                                                      mirrored to it when dockerd's is)
#   CNI       /etc/jobyard/cni/net.d/10-jobyard.conflist: bridge jobyard-cni0 (gateway, masquerade,
#             host-local IPAM in $POD_CIDR) + portmap + firewall; plugins from Debian's
#             containernetworking-plugins in /usr/lib/cni (the CRI plugin adds loopback itself).
#             IP allocations: /var/lib/cni/networks/jobyard; network namespaces under the state
#             directory (netns_mounts_under_state_dir), so every one there is ours.
#   log       /var/log/jobyard-containerd.log (JOBYARD_CONTAINERD_LOG)
#
# Usage: scripts/containerd.sh start [--with-examples]   installs containerd and
#            containernetworking-plugins when missing, writes the config, starts containerd
#            (restarts it when the config changed: its pods keep running in their shims), waits
#            for the CRI, and imports jobyard's images into the k8s.io namespace from Docker
#            (jobyard/pause:latest, the sandbox image, and busybox:1.36/latest; with
#            --with-examples jobyard/workqueue:latest too). Idempotent.
#        scripts/containerd.sh images [--with-examples]   only the image import.
#        scripts/containerd.sh stop     stops containerd (pods keep running, as when systemd
#            stops containerd.service; start adopts them again).
#        scripts/containerd.sh status [--json]   running or not, and what is left on the node:
#            CRI sandboxes and containers, tasks, network namespaces, CNI IP allocations, mounts.
#            Exit 0 when containerd answers, 3 when it does not run (LSB's "not running").
set -euo pipefail

CONFIG_DIR=/etc/jobyard/containerd
CONFIG="$CONFIG_DIR/config.toml"
CERTS_DIR="$CONFIG_DIR/certs.d"
ROOT=/var/lib/jobyard/containerd
STATE=/run/jobyard/containerd
SOCKET="$STATE/containerd.sock"
PID_FILE=/run/jobyard/containerd.pid
LOCK_FILE=/run/jobyard/containerd.lock
CNI_CONF_DIR=/etc/jobyard/cni/net.d
CNI_BIN_DIR=/usr/lib/cni
CNI_NETWORK=jobyard
CNI_BRIDGE=jobyard-cni0
CNI_IP_DIR="/var/lib/cni/networks/$CNI_NETWORK"
# Collides neither with Docker's 172.17.0.0/16 nor with the Service range (10.96.0.0/12,
# the default of `jobyard server --service-cluster-ip-range`).
POD_CIDR=10.88.0.0/16
NETNS_DIR="$STATE/io.containerd.grpc.v1.cri/netns"
SANDBOX_IMAGE=docker.io/jobyard/pause:latest
MIRROR=127.0.0.1:5000
LOG="${JOBYARD_CONTAINERD_LOG:-/var/log/jobyard-containerd.log}"
NS=k8s.io

say() { printf 'containerd: %s\n' "$*"; }
fail() { printf 'containerd: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,31p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

ctr_() { ctr --address "$SOCKET" --namespace "$NS" "$@"; }
answers() { timeout 5 ctr --address "$SOCKET" version >/dev/null 2>&1; }

# The pid of our containerd, empty when it does not run (a stale pid file is ignored: the
# process must be containerd started with our config).
our_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 0
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--config $CONFIG"; then echo "$pid"; fi
}

need_root() { [ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages and starts containerd)"; }

# --- packages ---------------------------------------------------------------------------
install_packages() {
  local pkg missing=()
  for pkg in containerd runc containernetworking-plugins; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != installed ]; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  command -v apt-get >/dev/null || fail "needs apt-get (or install ${missing[*]} by hand)"
  local apt_log=/var/log/jobyard-containerd-apt.log made_policy=0 apt_ok=1
  say "packages: installing ${missing[*]} with apt-get (log: $apt_log)"
  # Keep the package's scripts from starting the system's containerd.service.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
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
  say "packages: installed ${missing[*]}"
}

# --- configuration ------------------------------------------------------------------------
# write_if_changed FILE: stdin to FILE unless FILE already holds exactly that; prints "changed".
write_if_changed() {
  local file="$1" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
  else
    chmod 644 "$tmp"
    mv -f "$tmp" "$file"
    echo changed
  fi
}

# The cgroup driver: cgroupfs on cgroup v1 (what jobyard's pod cgroups use, agent/pod-cgroups.ts);
# systemd only where systemd runs the machine on cgroup v2, as upstream recommends there.
systemd_cgroup() {
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && [ -d /run/systemd/system ]; then echo true; else echo false; fi
}

# Without CAP_SYS_RESOURCE (a VM or container that drops it, as this one) no process may lower
# its oom_score_adj, and runc fails the sandbox's -998 ("can't get final child's PID from pipe:
# EOF"): the CRI plugin then keeps every score at or above containerd's own (rootless setups do).
restrict_oom_score_adj() {
  local cap_eff
  cap_eff="$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)"
  if (((0x$cap_eff >> 24) & 1)); then echo false; else echo true; fi
}

docker_uses_mirror() { grep -qF "http://$MIRROR" /etc/docker/daemon.json 2>/dev/null; }

write_config() {
  local changed=""
  mkdir -p "$CONFIG_DIR" "$CNI_CONF_DIR" "$CERTS_DIR/$MIRROR" "$ROOT" "$STATE"
  changed+="$(write_if_changed "$CONFIG" <<TOML
# jobyard's containerd (written by scripts/containerd.sh: edits are overwritten).
version = 2
root = "$ROOT"
state = "$STATE"
# Snapshotters jobyard does not use; they only log errors at start.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

[grpc]
  address = "$SOCKET"

[ttrpc]
  address = "$SOCKET.ttrpc"

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$ROOT/opt"

  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$SANDBOX_IMAGE"
    # Pod network namespaces under our state directory, not /run/netns: all of them are ours.
    netns_mounts_under_state_dir = true
    restrict_oom_score_adj = $(restrict_oom_score_adj)

    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"

        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = $(systemd_cgroup)
          # runc's state apart from another containerd's (/run/containerd/runc).
          Root = "$STATE/runc"

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$CNI_BIN_DIR"
      conf_dir = "$CNI_CONF_DIR"
      max_conf_num = 1

    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "$CERTS_DIR"
TOML
  )"
  # The local registry over plain HTTP. (containerd 1.6 already speaks HTTP to a loopback
  # registry on any port when no hosts.toml names it, as dockerd does: tests' registries on
  # random 127.0.0.1 ports need nothing here; this file says it for the mirror.)
  changed+="$(write_if_changed "$CERTS_DIR/$MIRROR/hosts.toml" <<TOML
server = "http://$MIRROR"

[host."http://$MIRROR"]
  capabilities = ["pull", "resolve", "push"]
TOML
  )"
  # docker.io through the local mirror first, as dockerd's registry-mirrors (scripts/images/mirror.sh).
  if docker_uses_mirror; then
    mkdir -p "$CERTS_DIR/docker.io"
    changed+="$(write_if_changed "$CERTS_DIR/docker.io/hosts.toml" <<TOML
server = "https://registry-1.docker.io"

[host."http://$MIRROR"]
  capabilities = ["pull", "resolve"]
TOML
    )"
  else
    [ ! -e "$CERTS_DIR/docker.io/hosts.toml" ] || { rm -f "$CERTS_DIR/docker.io/hosts.toml"; changed+=changed; }
  fi
  # Read by the CRI plugin when a sandbox is made (it watches the directory): no restart needed.
  write_if_changed "$CNI_CONF_DIR/10-$CNI_NETWORK.conflist" >/dev/null <<JSON
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } },
    { "type": "firewall" }
  ]
}
JSON
  [ -z "$changed" ] || echo changed
}

# The pods' bridge with its gateway address before the first pod (the bridge plugin makes it at
# the first pod otherwise): `jobyard server --runtime containerd` listens for pods on 10.88.0.1,
# as it does on docker0's 172.17.0.1. The plugin takes a bridge that has its gateway address.
ensure_bridge() {
  local gateway="${POD_CIDR%.0/*}.1/${POD_CIDR#*/}"
  ip link show "$CNI_BRIDGE" >/dev/null 2>&1 || ip link add "$CNI_BRIDGE" type bridge
  ip -4 addr show dev "$CNI_BRIDGE" | grep -qF " $gateway " || ip addr add "$gateway" brd + dev "$CNI_BRIDGE"
  ip link set "$CNI_BRIDGE" up
}

# --- start / stop -----------------------------------------------------------------------
wait_answers() {
  local deadline=$((SECONDS + ${1:-30}))
  until answers; do
    if [ "$SECONDS" -ge "$deadline" ] || [ -z "$(our_pid)" ]; then
      tail -n 20 "$LOG" >&2 2>/dev/null || true
      fail "containerd did not answer at $SOCKET within ${1:-30} s (log: $LOG)"
    fi
    sleep 0.2 # polling a readiness condition, bounded by the deadline above
  done
}

# The CRI plugin loads after the socket answers; an error there (e.g. no overlayfs) is fatal for us.
check_cri() {
  local line
  line="$(ctr --address "$SOCKET" plugins ls 2>/dev/null | awk '$1 == "io.containerd.grpc.v1" && $2 == "cri" { print $2, $NF }')"
  case "$line" in
    'cri ok') ;;
    '') fail "the CRI plugin is missing (log: $LOG)" ;;
    *) fail "the CRI plugin did not load: $line (log: $LOG)" ;;
  esac
}

stop_containerd() {
  local pid
  pid="$(our_pid)"
  if [ -z "$pid" ]; then
    say "not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "containerd (pid $pid) did not stop within 20 s"
    sleep 0.1 # waiting for the process to exit, bounded by the deadline above
  done
  rm -f "$PID_FILE"
  say "stopped (pid $pid; running pods keep their shims)"
}

start_containerd() {
  need_root
  install_packages
  local changed pid
  changed="$(write_config)"
  ensure_bridge
  pid="$(our_pid)"
  if [ -n "$pid" ] && [ -n "$changed" ]; then
    say "config changed: restarting containerd (pid $pid)"
    stop_containerd
    pid=""
  fi
  if [ -n "$pid" ]; then
    wait_answers 30
    say "running (pid $pid) at $SOCKET"
  else
    [ ! -S "$SOCKET" ] || ! answers || fail "something else answers at $SOCKET"
    mkdir -p "$(dirname "$LOG")"
    # setsid: containerd outlives this script and the terminal's Ctrl-C; 8>&- 9>&-: it must
    # not hold our lock or scripts/setup.sh's.
    setsid containerd --config "$CONFIG" </dev/null >>"$LOG" 2>&1 8>&- 9>&- &
    echo $! >"$PID_FILE"
    wait_answers 30
    say "started (pid $(cat "$PID_FILE")) at $SOCKET (log: $LOG)"
  fi
  check_cri
}

# --- images -----------------------------------------------------------------------------
# The config digest of REF in containerd's k8s.io namespace (what Docker calls the image id),
# empty when it is missing.
containerd_image_id() {
  local manifest
  manifest="$(ctr_ images ls 2>/dev/null | awk -v r="$1" '$1 == r { print $3 }')"
  [ -n "$manifest" ] || return 0
  ctr_ content get "$manifest" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      try { const m = JSON.parse(s); if (m.config) console.log(m.config.digest); } catch {}
    });'
}

# import_image REF: Docker's local REF into containerd unless containerd holds the same image.
import_image() {
  local ref="$1" full docker_id
  case "$ref" in */*) full="docker.io/$ref" ;; *) full="docker.io/library/$ref" ;; esac
  docker_id="$(docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null)" ||
    fail "$ref is missing in Docker: run scripts/setup.sh (scripts/images/build.sh builds it)"
  if [ "$(containerd_image_id "$full")" = "$docker_id" ]; then
    say "images: $full up to date"
    return 0
  fi
  docker save "$ref" | ctr_ images import --snapshotter overlayfs - >/dev/null
  [ "$(containerd_image_id "$full")" = "$docker_id" ] || fail "images: importing $ref did not give $full $docker_id"
  say "images: imported $full"
}

import_images() {
  command -v docker >/dev/null && docker info >/dev/null 2>&1 ||
    fail "images come from Docker's local images: run scripts/setup.sh first"
  answers || fail "containerd does not answer at $SOCKET: scripts/containerd.sh start"
  local refs=(jobyard/pause:latest busybox:1.36 busybox:latest)
  [ "$with_examples" = 0 ] || refs+=(jobyard/workqueue:latest)
  for ref in "${refs[@]}"; do import_image "$ref"; done
}

# --- status -----------------------------------------------------------------------------
# Lines of WHAT; each count is of what is still on the node.
status() {
  local json="$1" pid running=false version="" sandboxes="" containers="" tasks="" netns="" ips="" mounts=""
  pid="$(our_pid)"
  if answers; then
    running=true
    version="$(ctr --address "$SOCKET" version 2>/dev/null | awk '/^Server:/ { s = 1 } s && $1 == "Version:" { print $2; exit }')"
    sandboxes="$(ctr_ containers ls -q 'labels."io.cri-containerd.kind"==sandbox' 2>/dev/null || true)"
    containers="$(ctr_ containers ls -q 'labels."io.cri-containerd.kind"==container' 2>/dev/null || true)"
    tasks="$(ctr_ tasks ls -q 2>/dev/null || true)"
  fi
  [ ! -d "$NETNS_DIR" ] || netns="$(find "$NETNS_DIR" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)"
  # host-local keeps one file per allocated IP, named by it, beside last_reserved_ip.* and lock.
  [ ! -d "$CNI_IP_DIR" ] || ips="$(find "$CNI_IP_DIR" -mindepth 1 -maxdepth 1 ! -name 'last_reserved_ip.*' ! -name lock -printf '%f\n' | sort)"
  mounts="$(awk -v r="$ROOT/" -v s="$STATE/" 'index($2, r) == 1 || index($2, s) == 1 { print $2 }' /proc/mounts | sort)"
  if [ "$json" = 1 ]; then
    node -e '
      const [running, pid, version, socket, ...lists] = process.argv.slice(1);
      const names = ["sandboxes", "containers", "tasks", "netns", "ipAllocations", "mounts"];
      const out = { running: running === "true", pid: pid ? Number(pid) : null, version: version || null, socket };
      names.forEach((n, i) => (out[n] = lists[i] ? lists[i].split("\n") : []));
      console.log(JSON.stringify(out, null, 2));
    ' "$running" "$pid" "$version" "$SOCKET" "$sandboxes" "$containers" "$tasks" "$netns" "$ips" "$mounts"
  else
    if [ "$running" = true ]; then say "running (pid ${pid:-?}, containerd $version) at $SOCKET"; else say "not running ($SOCKET)"; fi
    print_list() { printf '%-15s %s\n' "$1:" "$(if [ -n "$2" ]; then wc -l <<<"$2"; else echo 0; fi)"; [ -z "$2" ] || sed 's/^/  /' <<<"$2"; }
    [ "$running" = false ] || {
      print_list sandboxes "$sandboxes"
      print_list containers "$containers"
      print_list tasks "$tasks"
    }
    print_list netns "$netns"
    print_list "ip allocations" "$ips"
    print_list mounts "$mounts"
  fi
  [ "$running" = true ] || return 3
}

# --- main -------------------------------------------------------------------------------
command="${1:-}"
[ $# -eq 0 ] || shift
with_examples=0
json=0
for arg in "$@"; do
  case "$arg" in
    --with-examples) with_examples=1 ;;
    --json) json=1 ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown argument $arg (scripts/containerd.sh --help)" ;;
  esac
done

case "$command" in
  start | images | stop)
    need_root
    mkdir -p "$(dirname "$LOCK_FILE")"
    # One start/stop at a time (tests and set-up may race on a shared machine).
    exec 8>"$LOCK_FILE"
    flock 8
    case "$command" in
      start) start_containerd; import_images ;;
      images) import_images ;;
      stop) stop_containerd ;;
    esac
    ;;
  status) status "$json" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
