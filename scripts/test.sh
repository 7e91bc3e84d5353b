#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls this). From a clean clone on a fresh machine:
# installs Node 22 and the packages (yarn install --immutable), then runs the stages listed under
# "Stages" below, group after group; the stages of one group run side by side (2-core machine):
#   types; lint | the API reports (yarn api-reports:check) | the backend image (where Docker runs)
#         | the IAM check (scripts/check-iam.mjs: every AWS action the code sends is granted);
#   unit: the Terraform tests (scripts/test-terraform.sh) | every Jest suite (SQLite and a throwaway
#         PostgreSQL and Redis), then the backend build | the emulator layer's tests;
#   live: the smoke test of the built backend | the browser journeys (scripts/e2e.sh), then every
#         AWS call they made checked against portal-access (check-iam --calls) | the
#         production overlay (scripts/test-production.sh, reusing the build) | the calls a
#         promotion makes, each granted by portal-access (scripts/test-iam-calls.mjs);
#   load: the load and fault suite | the install test (scripts/test-install.sh: our packed
#         packages in a fresh create-app) | the restart test (scripts/test-restart.mjs) | the
#         local default with ECS events (scripts/test-events-local.mjs: start.sh --events).
# (Each stage starts its own emulator, backends and databases on free or its own ports.)
# Each stage's output is printed when its group ends. A stage writes "passed failed [skipped]" to
# $RESULTS_DIR/<stage>.counts (and skipped tests' names to <stage>.skipped); one that writes none
# counts as one check by its exit code, and one that exits non-zero counts as failed whatever its
# counts say. Ends with each stage's counts and skipped tests, then "N passed, N failed".
# Options (environment):
#   TEST_STAGES=emulator,jest      run only these stages (names as below)
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

# --- stage commands ------------------------------------------------------------------------------
jest_stage() {
  local pg_url redis_url status=0
  pg_url=$(PG_PORT="$PG_PORT" scripts/postgres.sh start) || { echo "PostgreSQL could not start"; return 1; }
  redis_url=$(REDIS_PORT="$REDIS_PORT" scripts/redis.sh start) || { echo "Redis could not start"; return 1; }
  BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url" \
    BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="$redis_url" \
    yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/jest.json" || status=$?
  # Failed tests plus suites that failed outside any test; skipped (pending, todo) tests by name.
  node -e '
    const fs = require("fs");
    const path = require("path");
    const [file, dir] = process.argv.slice(1);
    // The first line that says something, without terminal colours, at most 200 characters.
    const firstLine = (m = "") =>
      (m.replace(/\u001b\[[0-9;]*m/g, "").split("\n").map(l => l.trim()).find(l => l && !/^●/.test(l)) ?? "").slice(0, 200);
    let passed = 0, failed = 1, skipped = 0, names = [], failures = [];
    try {
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      passed = r.numPassedTests;
      failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
      skipped = r.numPendingTests + r.numTodoTests;
      for (const suite of r.testResults)
        for (const t of suite.assertionResults)
          if (["pending", "todo", "skipped"].includes(t.status))
            names.push(`${path.relative(process.cwd(), suite.name)}: ${t.fullName} (${t.status})`);
          else if (t.status === "failed")
            failures.push(`${path.relative(process.cwd(), suite.name)}: ${t.fullName}: ${firstLine(t.failureMessages[0])}`);
      for (const suite of r.testResults)
        if (suite.testExecError || (suite.status === "failed" && !suite.assertionResults.some(t => t.status === "failed")))
          failures.push(`${path.relative(process.cwd(), suite.name)}: ${firstLine(suite.testExecError?.message ?? suite.message)}`);
      console.log(`jest: ${passed} passed, ${failed} failed, ${skipped} skipped (${r.numTotalTestSuites} suites)`);
    } catch (e) { console.log("jest: no results: " + e.message); }
    fs.writeFileSync(path.join(dir, "jest.counts"), `${passed} ${failed} ${skipped}\n`);
    fs.writeFileSync(path.join(dir, "jest.skipped"), names.map(n => n + "\n").join(""));
    fs.writeFileSync(path.join(dir, "jest.failures"), failures.map(n => n + "\n").join(""));
  ' "$RESULTS_DIR/jest.json" "$RESULTS_DIR"
  # The build (backend bundle and app) is what smoke, load-faults and e2e run next.
  local t0; t0=$(date +%s)
  if yarn build:backend >"$RESULTS_DIR/build-output.log" 2>&1; then record build 1 0; else
    record build 0 1; echo "build FAILED:"; tail -n 40 "$RESULTS_DIR/build-output.log"; fi
  echo "    (build: $(( $(date +%s) - t0 ))s)"
  return "$status"
}
terraform_stage() {
  if [ "${SKIP_TERRAFORM_INTEGRATION:-}" = 1 ]; then export SKIP_INTEGRATION=1; fi
  scripts/test-terraform.sh
}
e2e_stage() {
  # The backend build of the unit group also built the app (packages/app/dist): reuse it.
  local skip_build=0 status=0
  [ -f packages/app/dist/index.html ] && skip_build=1
  SKIP_INSTALL=1 E2E_SKIP_APP_BUILD="$skip_build" scripts/e2e.sh || status=$?
  # Every AWS call the journeys made, by caller, granted by portal-access (iam-journeys.counts).
  node scripts/check-iam.mjs --calls e2e/artifacts/aws-calls.json || status=1
  return "$status"
}

# --- stages: one line each (group, name, command) --------------------------------------------------
STAGES=()
declare -A STAGE_GROUP STAGE_COMMAND
stage() {
  STAGES+=("$2")
  STAGE_GROUP[$2]=$1
  STAGE_COMMAND[$2]="${*:3}"
}
stage types   tsc          yarn tsc
stage lint    lint         yarn lint
stage lint    api-reports  yarn api-reports:check
stage lint    image        scripts/build-image.sh
stage lint    iam          node scripts/check-iam.mjs
stage unit    terraform    terraform_stage
stage unit    jest         jest_stage
stage unit    emulator     scripts/test-emulator.sh
stage live    smoke        node scripts/smoke.mjs
stage live    e2e          e2e_stage
stage live    production   SKIP_INSTALL=1 PRODUCTION_REUSE_BUILD=1 scripts/test-production.sh
stage live    iam-calls    node scripts/test-iam-calls.mjs
stage load    load-faults  node plugins/ecs-deploy-backend/bench/load-faults.mjs
stage load    install      scripts/test-install.sh
stage load    restart      node scripts/test-restart.mjs
stage load    events-local node scripts/test-events-local.mjs

# --- which stages ----------------------------------------------------------------------------------
declare -A SELECTED
if [ -n "${TEST_STAGES:-}" ]; then
  IFS=',' read -ra wanted <<<"$TEST_STAGES"
  for name in "${wanted[@]}"; do
    [ -n "${STAGE_GROUP[$name]:-}" ] || die "TEST_STAGES names an unknown stage '$name' (stages: ${STAGES[*]})"
    SELECTED[$name]=1
  done
else
  for name in "${STAGES[@]}"; do SELECTED[$name]=1; done
fi

PG_PORT="${PG_PORT:-5439}"
REDIS_PORT="${REDIS_PORT:-6389}"
cleanup() {
  PG_PORT="$PG_PORT" scripts/postgres.sh stop >/dev/null 2>&1 || true
  REDIS_PORT="$REDIS_PORT" scripts/redis.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

need terraform "Install Terraform >= 1.7."
check_emulator_python   # EMULATOR_PYTHON (default python3): Python >= 3.10 with moto 5.1-5.2

if [ "${SKIP_INSTALL:-}" != 1 ]; then
  echo "==> install"
  scripts/bootstrap.sh --immutable || die "install failed"
fi

# run_stage NAME: the stage's command in the background, its output in $RESULTS_DIR/NAME.log and
# its exit code in NAME.exit; without counts of its own it counts as one check by that exit code.
run_stage() {
  local name=$1
  (
    t0=$(date +%s)
    eval "${STAGE_COMMAND[$name]}"
    status=$?
    echo "$status" >"$RESULTS_DIR/$name.exit"
    if [ ! -f "$RESULTS_DIR/$name.counts" ]; then
      if [ "$status" -eq 0 ]; then record "$name" 1 0; else record "$name" 0 1; fi
    fi
    echo "    ($name: $(( $(date +%s) - t0 ))s, exit $status)"
  ) >"$RESULTS_DIR/$name.log" 2>&1 &
  echo "$!" >"$RESULTS_DIR/$name.pid"
}

# Groups in the order they first appear; each group's stages side by side, then their output.
done_groups=" "
for first in "${STAGES[@]}"; do
  group=${STAGE_GROUP[$first]}
  [[ "$done_groups" == *" $group "* ]] && continue
  done_groups+="$group "
  members=()
  for name in "${STAGES[@]}"; do
    if [ "${STAGE_GROUP[$name]}" = "$group" ] && [ -n "${SELECTED[$name]:-}" ]; then members+=("$name"); fi
  done
  [ ${#members[@]} -gt 0 ] || continue
  for name in "${members[@]}"; do run_stage "$name"; done
  for name in "${members[@]}"; do wait "$(cat "$RESULTS_DIR/$name.pid")" || true; done
  for name in "${members[@]}"; do
    echo; echo "==> $name"
    cat "$RESULTS_DIR/$name.log"
  done
done

# --- summary ---------------------------------------------------------------------------------------
echo
echo "==> summary ($(( $(date +%s) - START ))s)"
for name in "${STAGES[@]}"; do
  [ -n "${SELECTED[$name]:-}" ] || echo "    $(printf '%-12s' "$name") not run (TEST_STAGES=$TEST_STAGES)"
done
total_passed=0; total_failed=0; total_skipped=0
for f in "$RESULTS_DIR"/*.counts; do
  [ -f "$f" ] || continue
  name=$(basename "$f" .counts)
  read -r p fl s <"$f"
  s=${s:-0}
  note=""
  status=$(cat "$RESULTS_DIR/$name.exit" 2>/dev/null || echo 0)
  if [ "$status" -ne 0 ] && [ "$fl" -eq 0 ]; then
    fl=1; note=" (exited $status without a failed test: counted as failed)"
  fi
  printf '    %-12s %4d passed, %d failed, %d skipped%s\n' "$name" "$p" "$fl" "$s" "$note"
  if [ -s "$RESULTS_DIR/$name.skipped" ]; then sed 's/^/                 skipped: /' "$RESULTS_DIR/$name.skipped"; fi
  # Which tests failed, here where a shortened log still shows them: the stage's own list, or
  # else its log's FAIL and "not ok" lines.
  if [ -s "$RESULTS_DIR/$name.failures" ]; then
    head -n 20 "$RESULTS_DIR/$name.failures" | sed 's/^/                 FAILED: /'
  elif [ "$fl" -gt 0 ] && [ -f "$RESULTS_DIR/$name.log" ]; then
    grep -E '^\s*(FAIL|not ok)\b' "$RESULTS_DIR/$name.log" | head -n 20 | sed 's/^\s*/                 FAILED: /'
  fi
  total_passed=$((total_passed + p)); total_failed=$((total_failed + fl)); total_skipped=$((total_skipped + s))
done
echo "    ($total_skipped skipped)"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
