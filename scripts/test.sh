#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls this). From a clean clone on a fresh machine:
# installs Node 22 and the packages (yarn install --immutable), type-checks, lints, runs the
# Terraform tests (unit + against moto), every Jest suite (SQLite and a throwaway PostgreSQL, moto
# started by the suites themselves), builds the backend and smoke-tests it live, then the load and
# fault suite (two backend replicas on PostgreSQL, a fault-injecting proxy in front of moto), and
# the browser journeys (scripts/e2e.sh: Debian Chromium driven by playwright-core).
# Ends with "N passed, N failed" over all stages. Options (environment):
#   SKIP_INSTALL=1  skip bootstrap (tools and packages already there)
#   SKIP_TERRAFORM_INTEGRATION=1  static Terraform checks and unit tests only
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
export RESULTS_DIR="$RUN_DIR/results"
rm -rf "$RESULTS_DIR" && mkdir -p "$RESULTS_DIR"
START=$(date +%s)
export CI="${CI:-true}"   # Jest: no watch mode; PostgreSQL must be present, not skipped

stage_begin() { echo; echo "==> $1"; STAGE_START=$(date +%s); }
stage_end() { echo "    ($1: $(( $(date +%s) - STAGE_START ))s)"; }
record() { echo "$2 $3" >"$RESULTS_DIR/$1.counts"; }
# single NAME CMD...: one check that passes or fails as a whole.
single() {
  local name=$1; shift
  stage_begin "$name"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; echo "    FAILED: $name"; fi
  stage_end "$name"
}

PG_PORT="${PG_PORT:-5439}"
REDIS_PORT="${REDIS_PORT:-6389}"
cleanup() {
  PG_PORT="$PG_PORT" scripts/postgres.sh stop >/dev/null 2>&1 || true
  REDIS_PORT="$REDIS_PORT" scripts/redis.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

need moto_server "It is the integration-test AWS: pip install 'moto[server]'."
need terraform "Install Terraform >= 1.7."

if [ "${SKIP_INSTALL:-}" != 1 ]; then
  stage_begin "install"
  scripts/bootstrap.sh --immutable || die "install failed"
  stage_end install
fi

single tsc yarn tsc
single lint yarn lint

stage_begin "terraform"
if [ "${SKIP_TERRAFORM_INTEGRATION:-}" = 1 ]; then export SKIP_INTEGRATION=1; fi
scripts/test-terraform.sh || true
[ -f "$RESULTS_DIR/terraform.counts" ] || record terraform 0 1
stage_end terraform

stage_begin "jest"
pg_url=$(PG_PORT="$PG_PORT" scripts/postgres.sh start) || die "PostgreSQL could not start"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
redis_url=$(REDIS_PORT="$REDIS_PORT" scripts/redis.sh start) || die "Redis could not start"
export BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="$redis_url"
yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/jest.json" || true
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
stage_end jest

single build yarn build:backend

stage_begin "smoke"
node scripts/smoke.mjs || true
[ -f "$RESULTS_DIR/smoke.counts" ] || record smoke 0 1
stage_end smoke

stage_begin "load-faults"
node plugins/ecs-deploy-backend/bench/load-faults.mjs || true
[ -f "$RESULTS_DIR/load-faults.counts" ] || record load-faults 0 1
stage_end load-faults

stage_begin "e2e"
# The backend build above also built the app (packages/app/dist): reuse it.
skip_build=0; [ -f packages/app/dist/index.html ] && skip_build=1
SKIP_INSTALL=1 E2E_SKIP_APP_BUILD="$skip_build" scripts/e2e.sh || true
[ -f "$RESULTS_DIR/e2e.counts" ] || record e2e 0 1
stage_end e2e

echo
echo "==> summary ($(( $(date +%s) - START ))s)"
total_passed=0; total_failed=0
for f in "$RESULTS_DIR"/*.counts; do
  read -r p fl <"$f"
  printf '    %-10s %4d passed, %d failed\n' "$(basename "$f" .counts)" "$p" "$fl"
  total_passed=$((total_passed + p)); total_failed=$((total_failed + fl))
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
