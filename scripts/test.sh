#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls this). From a clean clone on a fresh machine:
# installs Node 22 and the packages (yarn install --immutable), type-checks and lints, then runs,
# two groups of stages side by side to keep the run short on a 2-core machine:
#   1. the Terraform tests (fmt, validate, generated docs and name tests, `terraform test` units,
#      applies to the ECS emulator: scripts/test-terraform.sh) | every Jest suite (SQLite and a
#      throwaway PostgreSQL and Redis; the suites start their own emulators), then the backend
#      build | the emulator layer's own tests (scripts/test-emulator.sh);
#   2. the live smoke test of the built backend | the browser journeys (scripts/e2e.sh: Debian
#      Chromium through @playwright/test); then the load and fault suite (two replicas on
#      PostgreSQL, a fault-injecting proxy) and the restart test (scripts/test-restart.mjs).
# Each stage's output is printed when its group ends; ends with "N passed, N failed" over all
# stages. Options (environment):
#   SKIP_INSTALL=1                 skip bootstrap (tools and packages already there)
#   SKIP_TERRAFORM_INTEGRATION=1   static Terraform checks and unit tests only
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
export RESULTS_DIR="$RUN_DIR/results"
rm -rf "$RESULTS_DIR" && mkdir -p "$RESULTS_DIR"
START=$(date +%s)
export CI="${CI:-true}"   # Jest: no watch mode; PostgreSQL and Redis must be present, not skipped

record() { echo "$2 $3" >"$RESULTS_DIR/$1.counts"; }
# single NAME CMD...: one check that passes or fails as a whole.
single() {
  local name=$1 t0; shift
  echo; echo "==> $name"; t0=$(date +%s)
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; echo "    FAILED: $name"; fi
  echo "    ($name: $(( $(date +%s) - t0 ))s)"
}
# job NAME CMD...: a stage in the background, its output in $RESULTS_DIR/NAME.log; a stage that
# writes no counts of its own (it crashed) counts as one failure.
JOBS=()
job() {
  local name=$1; shift
  (
    t0=$(date +%s)
    "$@"
    [ -f "$RESULTS_DIR/$name.counts" ] || record "$name" 0 1
    echo "    ($name: $(( $(date +%s) - t0 ))s)"
  ) >"$RESULTS_DIR/$name.log" 2>&1 &
  JOBS+=("$name:$!")
}
# wait_jobs: waits for the group, then prints each stage's output in order.
wait_jobs() {
  local entry
  for entry in "${JOBS[@]}"; do wait "${entry#*:}" || true; done
  for entry in "${JOBS[@]}"; do
    echo; echo "==> ${entry%%:*}"
    cat "$RESULTS_DIR/${entry%%:*}.log"
  done
  JOBS=()
}

PG_PORT="${PG_PORT:-5439}"
REDIS_PORT="${REDIS_PORT:-6389}"
cleanup() {
  PG_PORT="$PG_PORT" scripts/postgres.sh stop >/dev/null 2>&1 || true
  REDIS_PORT="$REDIS_PORT" scripts/redis.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

need terraform "Install Terraform >= 1.7."
python3 emulator/server.py --check || die "the local AWS emulator cannot run (see the line above)"

if [ "${SKIP_INSTALL:-}" != 1 ]; then
  echo "==> install"
  scripts/bootstrap.sh --immutable || die "install failed"
fi

single tsc yarn tsc
single lint yarn lint

jest_stage() {
  local pg_url redis_url
  pg_url=$(PG_PORT="$PG_PORT" scripts/postgres.sh start) || { echo "PostgreSQL could not start"; return 1; }
  redis_url=$(REDIS_PORT="$REDIS_PORT" scripts/redis.sh start) || { echo "Redis could not start"; return 1; }
  BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url" \
    BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="$redis_url" \
    yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/jest.json"
  node -e '
    const fs = require("fs");
    const [file, out] = process.argv.slice(1);
    let passed = 0, failed = 1;
    try {
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      passed = r.numPassedTests;
      failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
      console.log(`jest: ${passed} passed, ${failed} failed (${r.numTotalTestSuites} suites)`);
    } catch (e) { console.log("jest: no results: " + e.message); }
    fs.writeFileSync(out, `${passed} ${failed}\n`);
  ' "$RESULTS_DIR/jest.json" "$RESULTS_DIR/jest.counts"
  # The build (backend bundle and app) is what smoke, load-faults and e2e run next.
  local t0; t0=$(date +%s)
  if yarn build:backend >"$RESULTS_DIR/build-output.log" 2>&1; then record build 1 0; else
    record build 0 1; echo "build FAILED:"; tail -n 40 "$RESULTS_DIR/build-output.log"; fi
  echo "    (build: $(( $(date +%s) - t0 ))s)"
}
terraform_stage() {
  if [ "${SKIP_TERRAFORM_INTEGRATION:-}" = 1 ]; then export SKIP_INTEGRATION=1; fi
  scripts/test-terraform.sh
}
job terraform terraform_stage
job jest jest_stage
job emulator scripts/test-emulator.sh
wait_jobs

# The browser journeys next to the light smoke test; the load and fault suite (50 viewers, two
# replicas) and the restart test (Terraform applies) after them, so no journey runs starved.
job smoke node scripts/smoke.mjs
# The backend build above also built the app (packages/app/dist): reuse it.
skip_build=0; [ -f packages/app/dist/index.html ] && skip_build=1
job e2e env SKIP_INSTALL=1 E2E_SKIP_APP_BUILD="$skip_build" scripts/e2e.sh
wait_jobs
job load-faults node plugins/ecs-deploy-backend/bench/load-faults.mjs
wait_jobs
job restart node scripts/test-restart.mjs
wait_jobs

echo
echo "==> summary ($(( $(date +%s) - START ))s)"
total_passed=0; total_failed=0
for f in "$RESULTS_DIR"/*.counts; do
  read -r p fl <"$f"
  printf '    %-12s %4d passed, %d failed\n' "$(basename "$f" .counts)" "$p" "$fl"
  total_passed=$((total_passed + p)); total_failed=$((total_failed + fl))
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
