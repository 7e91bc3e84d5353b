#!/usr/bin/env bash
# End-to-end journeys in a real browser, as CI runs them. From a fresh machine: installs what is
# missing (Node 22 and the packages via bootstrap.sh, Debian's Chromium via apt-get), starts its
# own moto_server with the Terraform demo applied, builds the frontend (production build), runs
# the backend from source serving that build on one port, and drives Chromium with playwright-core
# through e2e/run.mjs (journeys J1-J4, see there). Screenshots and backend logs go to
# e2e/artifacts/. Everything it started is stopped on exit, Ctrl-C included.
# Ends with "e2e: N passed, N failed"; writes "N M" to $RESULTS_DIR/e2e.counts when RESULTS_DIR is
# set. Options (environment):
#   E2E_MOTO_PORT=4640   port of its own emulator (not MOTO_PORT: that one belongs to start.sh)
#   E2E_PORT=7047        port of the backend and the app it serves
#   E2E_ONLY=J2,J4       run only these journeys
#   E2E_SKIP_APP_BUILD=1 reuse an existing packages/app/dist instead of building it
#   SKIP_INSTALL=1       skip bootstrap.sh even when node_modules is missing
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
START=$(date +%s)
JOURNEY_COUNT=4 # J1-J4; counted as failed when the runner never reports
if [ -n "${E2E_ONLY:-}" ]; then JOURNEY_COUNT=$(echo "$E2E_ONLY" | tr ',' '\n' | grep -c .); fi

E2E_MOTO_PORT="${E2E_MOTO_PORT:-4640}"
E2E_PORT="${E2E_PORT:-7047}"
AWS_ENDPOINT="http://127.0.0.1:$E2E_MOTO_PORT"
ARTIFACTS="$REPO_ROOT/e2e/artifacts"
WORK_DIR=""
RUNNER_PID=""
BUILD_PID=""
DEMO_PID=""
MOTO_STARTED=0

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
  # The runner stops its browser and backend itself on SIGTERM ...
  [ -n "$RUNNER_PID" ] && stop_group "$RUNNER_PID" 30
  for pid in "$BUILD_PID" "$DEMO_PID"; do
    [ -n "$pid" ] && stop_group "$pid" 10
  done
  # ... and whatever it could not stop (it was killed) is listed in its pid files.
  if [ -n "$WORK_DIR" ] && [ -d "$WORK_DIR/pids" ]; then
    for f in "$WORK_DIR"/pids/*.pid; do
      [ -f "$f" ] && stop_group "$(cat "$f")" 10
    done
  fi
  [ "$MOTO_STARTED" = 1 ] && MOTO_PORT="$E2E_MOTO_PORT" scripts/moto.sh stop
  local passed=0 failed=$JOURNEY_COUNT
  if [ -n "$WORK_DIR" ] && [ -s "$WORK_DIR/e2e.counts" ]; then
    read -r passed failed <"$WORK_DIR/e2e.counts"
  fi
  [ -n "$WORK_DIR" ] && rm -rf "$WORK_DIR"
  if [ -n "${RESULTS_DIR:-}" ]; then
    mkdir -p "$RESULTS_DIR" && echo "$passed $failed" >"$RESULTS_DIR/e2e.counts"
  fi
  echo "==> e2e finished in $(elapsed); screenshots in e2e/artifacts/"
  echo "e2e: $passed passed, $failed failed"
  if [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then exit 0; fi
  exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

# --- tools ------------------------------------------------------------------------------------
if [ "${SKIP_INSTALL:-}" != 1 ] && { [ ! -x "$NODE_HOME/bin/node" ] || [ ! -d node_modules/playwright-core ]; }; then
  say "installing Node 22 and the packages"
  if [ "${CI:-}" = true ]; then scripts/bootstrap.sh --immutable; else scripts/bootstrap.sh; fi || die "install failed"
fi
if [ ! -x "${E2E_CHROMIUM:-/usr/bin/chromium}" ]; then
  say "installing Chromium from Debian (apt-get)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null ||
    die "could not install chromium with apt-get"
fi
need moto_server "It is the local AWS emulator: pip install 'moto[server]'."
need terraform "It applies the demo environments to the emulator: install Terraform >= 1.7."
need curl "apt-get install curl"
if curl -s -o /dev/null "http://127.0.0.1:$E2E_PORT/"; then
  die "port $E2E_PORT is already in use; set E2E_PORT to a free port"
fi

rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecs-deploy-e2e.XXXXXX")

# --- emulator + demo, and the frontend build, in parallel --------------------------------------
if MOTO_PORT="$E2E_MOTO_PORT" scripts/moto.sh status >/dev/null 2>&1; then
  MOTO_PORT="$E2E_MOTO_PORT" scripts/moto.sh reset # a leftover of ours: start from empty
else
  MOTO_PORT="$E2E_MOTO_PORT" scripts/moto.sh start >/dev/null || exit 1
fi
MOTO_STARTED=1
say "emulator on $AWS_ENDPOINT; applying the Terraform demo (staging, prod) and building the app"
set -m
(
  # demo-aws.sh keeps its state under .run/demo-state/: one e2e run applies at a time.
  flock 9
  scripts/demo-aws.sh apply "$AWS_ENDPOINT"
) 9>"$RUN_DIR/e2e-demo.lock" >"$ARTIFACTS/demo-aws.log" 2>&1 &
DEMO_PID=$!
if [ "${E2E_SKIP_APP_BUILD:-}" = 1 ] && [ -f packages/app/dist/index.html ]; then
  echo "    reusing packages/app/dist"
else
  (yarn workspace app build) >"$ARTIFACTS/app-build.log" 2>&1 &
  BUILD_PID=$!
fi
set +m
demo_ok=0 build_ok=1
wait "$DEMO_PID" && demo_ok=1
DEMO_PID=""
say "demo applied: $([ $demo_ok = 1 ] && echo ok || echo FAILED, see e2e/artifacts/demo-aws.log)"
if [ -n "$BUILD_PID" ]; then
  wait "$BUILD_PID" || build_ok=0
  BUILD_PID=""
  say "app built: $([ $build_ok = 1 ] && echo ok || echo FAILED, see e2e/artifacts/app-build.log)"
fi
[ $demo_ok = 1 ] && [ $build_ok = 1 ] || exit 1

# A private copy of the build: another `yarn build:backend` in this tree rebuilds packages/app
# (emptying its dist/) and must not take the frontend away in the middle of the journeys.
mkdir -p "$WORK_DIR/app"
cp packages/app/package.json "$WORK_DIR/app/" && cp -R packages/app/dist "$WORK_DIR/app/dist" ||
  die "could not copy packages/app/dist"
[ -f "$WORK_DIR/app/dist/index.html" ] && [ -d "$WORK_DIR/app/dist/static" ] ||
  die "packages/app/dist is incomplete (another build running?); run again"

# --- journeys ---------------------------------------------------------------------------------
say "running the journeys (backend and app on http://127.0.0.1:$E2E_PORT)"
set -m
mkdir -p "$WORK_DIR/pids" "$WORK_DIR/tmp"
# TMPDIR: playwright's temporary browser profiles go to the work directory, removed at the end.
TMPDIR="$WORK_DIR/tmp" \
  E2E_PORT="$E2E_PORT" \
  ECS_DEPLOY_AWS_ENDPOINT="$AWS_ENDPOINT" \
  E2E_APP_PACKAGE_DIR="$WORK_DIR/app" \
  E2E_PIDS_DIR="$WORK_DIR/pids" \
  E2E_COUNTS_FILE="$WORK_DIR/e2e.counts" \
  E2E_ARTIFACTS="$ARTIFACTS" \
  node e2e/run.mjs &
RUNNER_PID=$!
set +m
wait "$RUNNER_PID"
RUNNER_PID=""
