#!/usr/bin/env bash
# Runs every test of jobyard (`npm test`; CI runs it through .ci/run): set-up first
# (scripts/setup.sh --with-browser --with-examples), then each tier in order, stopping at the first
# failure:
#
#   typecheck    tsc --noEmit over everything but web/
#   lint:deps    import rules (.dependency-cruiser.cjs) over the folders of `npm run lint:deps`
#                that exist, and web/
#   unit         vitest --project unit         (*.test.ts beside the code)
#   web          vitest --project web          (web/src; skipped while it has no tests)
#   integration  vitest --project integration  (test/integration)
#   docker       vitest --project docker       (test/docker, *.docker.test.ts; real dockerd)
#   security     vitest --project security     (test/security: a real server attacked; fuzzer)
#   e2e          vitest --project e2e          (test/e2e-*: kubectl, client-node, Chromium)
#
# Artifacts (JUnit reports, screenshots, logs) go to artifacts/; tests find that folder
# in JOBYARD_ARTIFACTS_DIR.
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
tier_count=9
tier_number=0
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

# tier NAME NOTE COMMAND...: runs one tier under a banner; stops the run when it fails.
tier() {
  local name="$1" note="$2"
  shift 2
  tier_number=$((tier_number + 1))
  if [ -n "$only" ] && [[ "$only" != *",$name,"* ]]; then
    summary+=("$name: not selected (--only)")
    return 0
  fi
  banner "[$tier_number/$tier_count] $name${note:+ ($note)}: $*"
  local started_s=$SECONDS status=0
  "$@" || status=$?
  local took="$((SECONDS - started_s)) s"
  if [ "$status" -ne 0 ]; then
    summary+=("$name: FAILED (exit $status, $took)")
    banner "FAILED: $name (exit $status after $took); later tiers not run"
    exit "$status"
  fi
  summary+=("$name: passed${note:+, $note} ($took)")
  printf -- '---- %s: passed in %s ----\n' "$name" "$took"
}

# skip NAME REASON: a tier that does not run, said loudly.
skip() {
  tier_number=$((tier_number + 1))
  [ -z "$only" ] || [[ "$only" == *",$1,"* ]] || return 0
  banner "[$tier_number/$tier_count] $1: SKIPPED ($2)"
  summary+=("$1: skipped ($2)")
}

# test_files PROJECT: how many test files a vitest project has.
test_files() {
  npx vitest list --project "$1" --filesOnly 2>/dev/null | grep -c . || true
}

# vitest_tier PROJECT: runs a vitest project; with no test files it passes and says so.
vitest_tier() {
  local project="$1" files
  [ -z "$only" ] || [[ "$only" == *",$project,"* ]] || { tier "$project" "" true; return 0; }
  files="$(test_files "$project")"
  local note="$files test file"; [ "$files" = 1 ] || note+="s"
  [ "$files" -gt 0 ] || note="no tests"
  tier "$project" "$note" npx vitest run --project "$project" --passWithNoTests \
    --reporter=default --reporter=junit --outputFile.junit="$junit_dir/$project.xml"
}

if [ "$skip_setup" = 1 ]; then
  tier_count=8
  echo "test: --skip-setup: not running scripts/setup.sh"
else
  tier setup "" scripts/setup.sh --with-browser --with-examples
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
vitest_tier unit
if [ "$(test_files web)" -gt 0 ]; then
  vitest_tier web
else
  skip web "web/src has no tests yet"
fi
vitest_tier integration
vitest_tier docker
vitest_tier security
vitest_tier e2e

[ -n "$only" ] && banner "selected tiers (${only//,/ }) passed in $((SECONDS - run_started_s)) s" && exit 0
banner "all tiers passed in $((SECONDS - run_started_s)) s"
