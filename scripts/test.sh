#!/usr/bin/env bash
# Runs every test of jobyard (`npm test`; CI runs it through .ci/run): set-up first
# (scripts/setup.sh --with-browser --with-examples --runtime both), typecheck and lint:deps, then the test tiers
# in two lanes at once, each stopping at its first failure:
#
#   typecheck    tsc --noEmit over everything but web/
#   lint:deps    import rules (.dependency-cruiser.cjs) over the folders of `npm run lint:deps`
#                that exist, and web/
#   lane "docker" (tiers that run pods on the Docker engine, one file at a time: two
#   servers must not make and destroy Docker 20.10 sandboxes at once, and kube-proxy and cluster
#   DNS hold the machine's iptables and port 53):
#     docker     vitest --project docker       (test/docker, *.docker.test.ts; real dockerd)
#     docker-containerd  the docker tier's engine-neutral files (test/docker, agent/runtime/cri,
#                test/support) with JOBYARD_TEST_RUNTIME=containerd: pods on jobyard's containerd
#                through the CRI (scripts/containerd.sh start first). Not in the default run yet
#                (the CI's time budget): --only docker-containerd, or JOBYARD_TEST_CONTAINERD=1
#     security   vitest --project security     (test/security: a real server attacked; fuzzer)
#     e2e-node   vitest --project e2e-node     (test/e2e-* that run pods: kubectl, Chromium)
#   lane "other" (CPU-bound tiers, containerd, and servers with no node), printed when it ends:
#     unit       vitest --project unit         (*.test.ts beside the code)
#     web        vitest --project web          (web/src; skipped while it has no tests)
#     integration vitest --project integration (test/integration)
#     cri        vitest --project cri          (the CRI runtime against jobyard's containerd: the
#                runtime contract, streaming, CRI logs; no Docker sandbox)
#     e2e        vitest --project e2e          (test/e2e-* whose servers run no node, two at a
#                time; the list is in vitest.config.ts)
#
# Artifacts (JUnit reports, screenshots, logs, each lane's log) go to artifacts/; tests find
# that folder in JOBYARD_ARTIFACTS_DIR.
#
# Usage: scripts/test.sh [--skip-setup] [--only TIER[,TIER...]]
#   --only runs just the named tiers (e.g. --only unit,docker), for a quick local loop.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

usage="usage: scripts/test.sh [--skip-setup] [--only TIER[,TIER...]]"
skip_setup=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-setup) skip_setup=1 ;;
    --only) [ $# -ge 2 ] || { echo "test: $usage" >&2; exit 2; }; only=",$2,"; shift ;;
    --only=*) only=",${1#--only=},";;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test: unknown argument $1 ($usage)" >&2; exit 2 ;;
  esac
  shift
done

export JOBYARD_ARTIFACTS_DIR="$root_dir/artifacts"
junit_dir="$JOBYARD_ARTIFACTS_DIR/junit"
mkdir -p "$JOBYARD_ARTIFACTS_DIR"
rm -rf "$junit_dir"
mkdir -p "$junit_dir"

run_started_s=$SECONDS
summary=()

banner() { printf '\n==== %s ====\n' "$*"; }

# summarize: one line per tier, then the test counts from the JUnit reports.
summarize() {
  local status=$?
  [ "${#summary[@]}" -eq 0 ] && return "$status"
  printf '\n==== summary (%d s) ====\n' "$((SECONDS - run_started_s))"
  printf '  %s\n' "${summary[@]}"
  if compgen -G "$junit_dir/*.xml" >/dev/null && command -v node >/dev/null; then
    # The closing line CI reads: "tests: N passed, N failed, N skipped".
    # shellcheck disable=SC2016 # JavaScript, not shell
    node -e '
      const fs = require("node:fs");
      let tests = 0, failed = 0, skipped = 0;
      for (const f of process.argv.slice(1)) {
        const xml = fs.readFileSync(f, "utf8");
        const top = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? "";
        const num = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(top)?.[1] ?? 0);
        tests += num("tests");
        failed += num("failures") + num("errors");
        skipped += (xml.match(/<skipped\b/g) ?? []).length;
      }
      console.log(`tests: ${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
    ' "$junit_dir"/*.xml || true
  fi
  return "$status"
}
trap summarize EXIT

# record LINE: one line of the summary (a lane, in its subshell, writes it to its file).
lane_summary=""
record() {
  if [ -n "$lane_summary" ]; then printf '%s\n' "$1" >>"$lane_summary"; else summary+=("$1"); fi
}

# tier NAME NOTE COMMAND...: runs one tier under a banner; stops the run when it fails.
tier() {
  local name="$1" note="$2"
  shift 2
  if [ -n "$only" ] && [[ "$only" != *",$name,"* ]]; then
    record "$name: not selected (--only)"
    return 0
  fi
  banner "$name${note:+ ($note)}: $*"
  local started_s=$SECONDS status=0
  "$@" || status=$?
  local took="$((SECONDS - started_s)) s"
  if [ "$status" -ne 0 ]; then
    record "$name: FAILED (exit $status, $took)"
    banner "FAILED: $name (exit $status after $took); later tiers not run"
    exit "$status"
  fi
  record "$name: passed${note:+, $note} ($took)"
  printf -- '---- %s: passed in %s ----\n' "$name" "$took"
}

# skip NAME REASON: a tier that does not run, said loudly.
skip() {
  [ -z "$only" ] || [[ "$only" == *",$1,"* ]] || return 0
  banner "$1: SKIPPED ($2)"
  record "$1: skipped ($2)"
}

# test_files PROJECT...: how many test files the vitest projects have.
test_files() {
  local args=() p
  for p in "$@"; do args+=(--project "$p"); done
  npx vitest list "${args[@]}" --filesOnly 2>/dev/null | grep -c . || true
}

# vitest_tier TIER [PROJECT...]: runs the tier's vitest projects (by default the one named as the
# tier) in one vitest run; with no test files it passes and says so.
vitest_tier() {
  local name="$1" files p
  shift
  local projects=("$@")
  [ "${#projects[@]}" -gt 0 ] || projects=("$name")
  [ -z "$only" ] || [[ "$only" == *",$name,"* ]] || { tier "$name" "" true; return 0; }
  files="$(test_files "${projects[@]}")"
  local note="$files test file"; [ "$files" = 1 ] || note+="s"
  [ "$files" -gt 0 ] || note="no tests"
  local args=()
  for p in "${projects[@]}"; do args+=(--project "$p"); done
  tier "$name" "$note" npx vitest run "${args[@]}" --passWithNoTests \
    --reporter=default --reporter=junit --outputFile.junit="$junit_dir/$name.xml"
}

if [ "$skip_setup" = 1 ]; then
  echo "test: --skip-setup: not running scripts/setup.sh"
else
  # Both engines: the cri tier runs against jobyard's containerd.
  tier setup "" scripts/setup.sh --with-browser --with-examples --runtime both
  # The set-up built dist/: the tests run it, as users do (test/support/jobyard-command.ts).
  export JOBYARD_TEST_SERVER=dist
fi

tier typecheck "" npm run --silent typecheck
# The parts' folders and the console (as `npm run lint:deps`). Folders that do not exist yet
# are left out (git keeps no empty folder, and depcruise stops at a missing one).
lint_dirs=()
missing_dirs=()
for dir in api machinery server client controllers agent dns logs clusters cli cmd web; do
  if [ -d "$dir" ]; then lint_dirs+=("$dir"); else missing_dirs+=("$dir"); fi
done
tier lint:deps "${missing_dirs[*]:+no folder }${missing_dirs[*]}" npx depcruise --config .dependency-cruiser.cjs "${lint_dirs[@]}"

# lane NAME FUNCTION: runs FUNCTION's tiers in the background, its output in artifacts/lane-NAME.log
# and its summary lines in artifacts/lane-NAME.summary.
lane_pids=()
lane_names=()
lane() {
  local name="$1" fn="$2"
  : >"$JOBYARD_ARTIFACTS_DIR/lane-$name.summary"
  (
    trap - EXIT
    lane_summary="$JOBYARD_ARTIFACTS_DIR/lane-$name.summary"
    "$fn"
  ) >"$JOBYARD_ARTIFACTS_DIR/lane-$name.log" 2>&1 &
  lane_pids+=("$!")
  lane_names+=("$name")
}

# The docker tier again on containerd (issue 15), when selected (see the top of the file).
containerd_tier() {
  if [[ "$only" != *",docker-containerd,"* ]] && [ "${JOBYARD_TEST_CONTAINERD:-0}" != 1 ]; then
    skip docker-containerd "not in the default run yet: --only docker-containerd or JOBYARD_TEST_CONTAINERD=1"
    return 0
  fi
  tier docker-containerd "JOBYARD_TEST_RUNTIME=containerd" run_containerd_tier
}
run_containerd_tier() {
  scripts/containerd.sh start --with-examples &&
    JOBYARD_TEST_RUNTIME=containerd npx vitest run --project docker test/docker agent/runtime/cri test/support \
      --reporter=default --reporter=junit --outputFile.junit="$junit_dir/docker-containerd.xml"
}

docker_lane() {
  vitest_tier docker
  containerd_tier
  vitest_tier security
  vitest_tier e2e-node
}

other_lane() {
  vitest_tier unit
  if [ "$(test_files web)" -gt 0 ]; then
    vitest_tier web
  else
    skip web "web/src has no tests yet"
  fi
  vitest_tier integration
  vitest_tier cri
  vitest_tier e2e
}

banner "two lanes at once: docker (docker, security, e2e-node: pods on Docker, one file at a time) and other (unit, web, integration, cri, e2e); the docker lane's output follows as it runs, the other's when it ends"
lane other other_lane
lane docker docker_lane
tail -n +1 -f "$JOBYARD_ARTIFACTS_DIR/lane-docker.log" --pid "${lane_pids[1]}" &
follower=$!
lanes_failed=0
for i in 1 0; do
  wait "${lane_pids[$i]}" || lanes_failed=1
  if [ "$i" = 1 ]; then wait "$follower" || true; fi
done
banner "lane other's output"
cat "$JOBYARD_ARTIFACTS_DIR/lane-other.log"
for name in other docker; do
  while IFS= read -r line; do summary+=("$line"); done <"$JOBYARD_ARTIFACTS_DIR/lane-$name.summary"
done
if [ "$lanes_failed" != 0 ]; then
  banner "FAILED: $(grep -h FAILED "$JOBYARD_ARTIFACTS_DIR"/lane-*.summary | tr '\n' ' ')"
  exit 1
fi

[ -n "$only" ] && banner "selected tiers (${only//,/ }) passed in $((SECONDS - run_started_s)) s" && exit 0
banner "all tiers passed in $((SECONDS - run_started_s)) s"
