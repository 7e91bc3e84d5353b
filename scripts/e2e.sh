#!/usr/bin/env bash
# End-to-end journeys in a real browser, as CI runs them. From a fresh machine: installs what is
# missing (Node 22 and the packages via bootstrap.sh, Debian's Chromium via apt-get), then runs
# the @playwright/test journeys of e2e/ (one spec file per journey: e2e/tests/NN-jN-*.spec.ts). Their global setup
# (e2e/global-setup.ts) starts the emulator on its own port with the Terraform demo applied,
# builds the frontend (production build) and runs the backend from source serving that build on
# one port, plus a second backend for a second identity; Playwright drives Debian's Chromium.
# Step screenshots, failure screenshots and logs go to e2e/artifacts/. The backends reach the
# emulator through the dev kit's counting proxy: every AWS call they (and the Terraform they run)
# made, by IAM action and caller (role and account), goes to e2e/artifacts/aws-calls.json, for
# `node scripts/check-iam.mjs --calls e2e/artifacts/aws-calls.json` (each granted by portal-access)
# after the journeys. Everything it started is stopped on exit, Ctrl-C included.
# Ends with "e2e: N passed, N failed, N skipped"; writes "N M S" to $RESULTS_DIR/e2e.counts when RESULTS_DIR is
# set. Options (environment):
#   E2E_EMULATOR_PORT=4640   port of its own emulator (not EMULATOR_PORT: that one belongs to start.sh)
#   E2E_PORT=7047        port of the backend and the app it serves
#   E2E_ONLY=J2,J4       run only these journeys
#   E2E_SKIP_APP_BUILD=1 reuse an existing packages/app/dist instead of building it
#   SKIP_INSTALL=1       skip bootstrap.sh even when node_modules is missing
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
START=$(date +%s)
# One journey per spec file; journeys the runner never reports on count as failed.
JOURNEY_COUNT=$(find e2e/tests -name '*.spec.ts' | wc -l)
ONLY_FILES=()
if [ -n "${E2E_ONLY:-}" ]; then
  JOURNEY_COUNT=0
  for id in $(echo "$E2E_ONLY" | tr ',' ' '); do
    ONLY_FILES+=("[0-9]-$(echo "$id" | tr 'J' 'j')-") # spec files are named NN-jN-*.spec.ts
    JOURNEY_COUNT=$((JOURNEY_COUNT + 1))
  done
fi
export E2E_EMULATOR_PORT="${E2E_EMULATOR_PORT:-4640}"
export E2E_PORT="${E2E_PORT:-7047}"
ARTIFACTS="$REPO_ROOT/e2e/artifacts"
WORK_DIR=""
RUNNER_PID=""

elapsed() { echo "$(( $(date +%s) - START ))s"; }
say() { echo "==> $* ($(elapsed))"; }

# stop_group PID SECONDS: SIGTERM to the process group PID leads (each child here was started in a
# group of its own), SIGKILL to what is left after SECONDS, then reap it if it is our child.
stop_group() {
  local pid=$1 secs=$2
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $((secs * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

finish() {
  local status=$?
  # Cleanup is bounded (stop_group); a second Ctrl-C must not cut it short.
  trap '' INT TERM
  trap - EXIT
  echo "==> stopping ($(elapsed))"
  # Playwright runs the global teardown (emulator, backends) on SIGTERM ...
  [ -n "$RUNNER_PID" ] && stop_group "$RUNNER_PID" 30
  # ... and whatever it could not stop (it was killed) is listed in the pid files.
  if [ -n "$WORK_DIR" ] && [ -d "$WORK_DIR/pids" ]; then
    for f in "$WORK_DIR"/pids/*.pid; do
      [ -f "$f" ] && stop_group "$(cat "$f")" 10
    done
  fi
  local passed=0 failed=$JOURNEY_COUNT skipped=0
  if [ -n "$WORK_DIR" ] && [ -s "$WORK_DIR/e2e.counts" ]; then
    read -r passed failed skipped <"$WORK_DIR/e2e.counts"
    skipped=${skipped:-0}
  fi
  if [ -n "${RESULTS_DIR:-}" ]; then
    mkdir -p "$RESULTS_DIR" && echo "$passed $failed $skipped" >"$RESULTS_DIR/e2e.counts"
    cp "$WORK_DIR/e2e.counts.skipped" "$RESULTS_DIR/e2e.skipped" 2>/dev/null || true
    cp "$WORK_DIR/e2e.counts.failures" "$RESULTS_DIR/e2e.failures" 2>/dev/null || true
  fi
  [ -n "$WORK_DIR" ] && rm -rf "$WORK_DIR"
  echo "==> e2e finished in $(elapsed); screenshots and logs in e2e/artifacts/"
  echo "e2e: $passed passed, $failed failed, $skipped skipped"
  if [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then exit 0; fi
  exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

# --- tools ------------------------------------------------------------------------------------
if [ "${SKIP_INSTALL:-}" != 1 ] && { [ ! -x "$NODE_HOME/bin/node" ] || [ ! -d node_modules/@playwright/test ]; }; then
  say "installing Node 22 and the packages"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # Debian's Chromium, never a downloaded browser
  if [ "${CI:-}" = true ]; then scripts/bootstrap.sh --immutable; else scripts/bootstrap.sh; fi || die "install failed"
fi
if [ ! -x "${E2E_CHROMIUM:-/usr/bin/chromium}" ]; then
  [ -n "${E2E_CHROMIUM:-}" ] && die "E2E_CHROMIUM=$E2E_CHROMIUM is not an executable"
  command -v apt-get >/dev/null 2>&1 ||
    die "no Chromium at /usr/bin/chromium: set E2E_CHROMIUM to a Chromium or Chrome (macOS: E2E_CHROMIUM='/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')"
  apt_install chromium
fi
check_emulator_python
need terraform "It applies the demo environments to the emulator: install Terraform >= 1.7."

rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecs-deploy-e2e.XXXXXX")
mkdir -p "$WORK_DIR/pids" "$WORK_DIR/tmp"

# --- journeys ---------------------------------------------------------------------------------
say "running the journeys (emulator on port $E2E_EMULATOR_PORT, backend and app on http://127.0.0.1:$E2E_PORT)"
set -m
# TMPDIR: the browser's temporary profiles go to the work directory, removed at the end.
TMPDIR="$WORK_DIR/tmp" \
  E2E_WORK_DIR="$WORK_DIR" \
  E2E_PIDS_DIR="$WORK_DIR/pids" \
  E2E_COUNTS_FILE="$WORK_DIR/e2e.counts" \
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
  node node_modules/@playwright/test/cli.js test --config e2e/playwright.config.ts ${ONLY_FILES[@]+"${ONLY_FILES[@]}"} &
RUNNER_PID=$!
set +m
wait "$RUNNER_PID"
RUNNER_PID=""
