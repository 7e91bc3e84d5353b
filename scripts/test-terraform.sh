#!/usr/bin/env bash
# Tests of terraform-modules/, in two stages that run at the same time:
#   static:      fmt, generated files up to date (names.tftest.hcl, README tables), validate, and
#                `terraform test` of each module (mocked AWS);
#   integration: a private emulator (scripts/emulator.sh), apply of the demo roots and the service root,
#                read-back with the AWS SDK, promotion and rollback contract, autoscaling switch
#                (integration.test.mjs) and the move from the two-resource service module
#                (migration.test.mjs), destroy; at the same time, in accounts 111111111111 and
#                222222222222 of the same emulator, the cross-account demo (scripts/demo-aws.sh with
#                ECS_DEPLOY_CROSS_ACCOUNT=1: portal-access, portal-events, the stages through their
#                Terraform roles), its checks and destroy (cross-account.test.mjs); and `terraform test`
#                of examples/portal, examples/ecr-shared and portal-events (central and forward modes,
#                two accounts) against the emulator (their tests/emulator).
#   scripts/test-terraform.sh                      # everything
#   SKIP_INTEGRATION=1 scripts/test-terraform.sh   # static stage only
# Ends with "terraform: N passed, M failed, S skipped"; writes "N M S" to
# $RESULTS_DIR/terraform.counts and the skipped checks' names to $RESULTS_DIR/terraform.skipped
# when RESULTS_DIR is set. Exit code 0 only when nothing failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
need terraform "Install Terraform >= 1.7 (https://developer.hashicorp.com/terraform/install)."
need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."

TF="$REPO_ROOT/scripts/terraform.sh"
MODULES="$REPO_ROOT/terraform-modules"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-terraform.XXXXXX")
LOGS="$WORK/logs"
mkdir -p "$LOGS"
START=$(date +%s)
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

# Each stage appends one line per result ("ok", "FAIL <name>" or "SKIP <name>") to its own $RESULTS file
# and prints its report to its own output file; the reports are shown in order once the stages are
# done.
pass() { echo ok >>"$RESULTS"; echo "  ok    $1"; }
skip() { echo "SKIP $1" >>"$RESULTS"; echo "  skip  $1"; }
fail() {
  echo "FAIL $1" >>"$RESULTS"; echo "  FAIL  $1"
  if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/        | /' "$2" | tail -n 60; fi
}
# check NAME CMD...: runs CMD with its output in a log; counts one result.
check() {
  local name=$1 log
  shift
  log="$LOGS/$(echo "$name" | tr -c 'a-zA-Z0-9._-' '_').log"
  if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name" "$log"; fi
}
# Each root or module gets its own TF_DATA_DIR under $WORK, so nothing lands in the repo
# (apart from the gitignored .terraform.lock.hcl) and runs do not disturb each other.
tfin() { local key=$1; shift; TF_DATA_DIR="$WORK/$key/data" "$TF" "$@"; }
key_of() { echo "$1" | tr '/' '_'; }
seconds_since() { printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"; }

cleanup() {
  local pids
  pids=$(jobs -p)
  [ -z "$pids" ] || kill $pids 2>/dev/null
  if [ -f "$WORK/emulator.port" ]; then EMULATOR_PORT="$(cat "$WORK/emulator.port")" "$REPO_ROOT/scripts/emulator.sh" stop || true; fi
  # Logs of a run with failures are kept (the summary names the directory).
  if [ "$(cat "$WORK"/*.results 2>/dev/null | grep -c FAIL)" -eq 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Generated files: regenerate into $WORK and compare with the committed ones.
names_up_to_date() {
  local module
  node "$REPO_ROOT/scripts/terraform-name-tests.mjs" --out "$WORK/names" || return 1
  for module in ecs-service ecs-environment-ref ecs-environment; do
    diff -u "$MODULES/$module/tests/names.tftest.hcl" "$WORK/names/$module/tests/names.tftest.hcl" || {
      echo "out of date: run node scripts/terraform-name-tests.mjs"; return 1; }
  done
}

# terraform test MODULE [TEST_DIRECTORY [ARGS...]]: one result per run block, read from the test
# output. TEST_DIRECTORY (default tests) and ARGS (e.g. the emulator's endpoint) go to `terraform test`.
module_test() {
  local module=$1 dir=${2:-tests} k log rc runs=0 line label=$1
  shift; shift
  [ "$dir" = tests ] || label="$module ($dir)"
  k="test/$(key_of "$label" | tr -d ' ()')"
  log="$LOGS/$(basename "$k").log"
  if ! tfin "$k" -chdir="$MODULES/$module" init -backend=false -input=false -no-color -test-directory="$dir" >"$log" 2>&1; then
    fail "terraform test $label (init)" "$log"; return
  fi
  tfin "$k" -chdir="$MODULES/$module" test -no-color -test-directory="$dir" "$@" >>"$log" 2>&1
  rc=$?
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]+run\ \"([^\"]+)\"\.\.\.\ (pass|fail|skip) ]]; then
      runs=$((runs + 1))
      case "${BASH_REMATCH[2]}" in
        pass) pass "$label: ${BASH_REMATCH[1]}" ;;
        skip) skip "$label: ${BASH_REMATCH[1]}" ;;
        *) fail "$label: ${BASH_REMATCH[1]} (${BASH_REMATCH[2]})" ;;
      esac
    fi
  done <"$log"
  if [ "$rc" -ne 0 ]; then
    [ "$runs" -eq 0 ] && echo FAIL >>"$RESULTS"
    echo "        terraform test $label exited $rc:"; grep -v '\.\.\. pass' "$log" | sed 's/^/        | /' | tail -n 60
  fi
}

stage_static() {
  local t0 root
  t0=$(date +%s.%N)
  echo "==> terraform fmt, generated files"
  check "fmt -check -recursive terraform-modules" "$TF" fmt -check -recursive -diff "$MODULES"
  check "names.tftest.hcl up to date with nameCases.json" names_up_to_date
  check "README tables up to date (scripts/terraform-docs.mjs --check)" node "$REPO_ROOT/scripts/terraform-docs.mjs" --check
  check "scripts/terraform-docs.mjs tests" node --test "$MODULES/tests/terraform-docs.test.mjs"
  check "scripts/check-iam.mjs tests" node --test "$MODULES/tests/check-iam.test.mjs"

  echo "==> terraform validate"
  for root in ecs-environment ecs-environment-ref ecs-service portal-access portal-events examples/demo/staging examples/demo/prod examples/demo/access examples/service-root examples/portal examples/ecr-shared; do
    check "validate $root" bash -c '
      TF_DATA_DIR="$1/data" "$2" -chdir="$3" init -backend=false -input=false -no-color &&
      TF_DATA_DIR="$1/data" "$2" -chdir="$3" validate -no-color' _ "$WORK/validate/$(key_of "$root")" "$TF" "$MODULES/$root"
  done

  echo "==> terraform test (unit, mocked provider)"
  # Two at a time: ecs-service (the most runs) next to the others.
  parallel "module_test ecs-service" \
    'for module in ecs-environment ecs-environment-ref portal-access portal-events examples/portal examples/ecr-shared; do module_test "$module"; done'
  echo "==> static stage: $(seconds_since "$t0") s"
}

# init + apply ROOT [extra -var args...] with the state under $WORK; one result.
apply_root() {
  local root=$1 k t0 n log
  shift
  k=$(key_of "$root")
  log="$LOGS/apply-$k.log"
  if ! tfin "$k" -chdir="$MODULES/examples/$root" init -input=false -no-color -reconfigure \
    -backend-config="path=$WORK/$k/terraform.tfstate" >"$log" 2>&1; then
    fail "init $root" "$log"; return 1
  fi
  t0=$(date +%s.%N)
  if tfin "$k" -chdir="$MODULES/examples/$root" apply -auto-approve -input=false -no-color \
    -var "aws_endpoint=$ENDPOINT" "$@" >>"$log" 2>&1; then
    touch "$WORK/$k/applied"
    n=$(tfin "$k" -chdir="$MODULES/examples/$root" state list 2>/dev/null | grep -vc '^data\.\|\.data\.')
    pass "apply $root: $n resources in $(seconds_since "$t0") s"
  else
    fail "apply $root" "$log"; return 1
  fi
}
destroy_root() {
  local root=$1 k
  shift
  k=$(key_of "$root")
  [ -f "$WORK/$k/applied" ] || return 0
  check "destroy $root" tfin "$k" -chdir="$MODULES/examples/$root" destroy -auto-approve -input=false -no-color \
    -var "aws_endpoint=$ENDPOINT" "$@"
}
# Runs "NAME CMD..." jobs at the same time; their reports follow in the order given.
parallel() {
  local job i outs=() pids=()
  for job in "$@"; do
    outs+=("$(mktemp "$WORK/parallel.XXXXXX")")
    (eval "$job") >"${outs[-1]}" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}"; cat "${outs[$i]}"; done
}

stage_integration() {
  local t0 port cross_pid
  t0=$(date +%s.%N)
  echo "==> integration against the emulator (scripts/emulator.sh)"
  port=4620
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || [ -f "$RUN_DIR/emulator-$port.pid" ]; do port=$((port + 1)); done
  # Recorded before the start, so that cleanup stops a server that started but did not answer.
  echo "$port" >"$WORK/emulator.port"
  if ! ENDPOINT=$(EMULATOR_PORT=$port "$REPO_ROOT/scripts/emulator.sh" start); then
    fail "emulator start on port $port (see $RUN_DIR/emulator-$port.log)"; return
  fi
  pass "emulator started at $ENDPOINT"
  export AWS_ENDPOINT="$ENDPOINT" TF_WORK_DIR="$WORK"
  cross_account >"$WORK/cross-account.out" 2>&1 &
  cross_pid=$!
  # examples/service-root's variables, also read by the integration tests (space-separated name=value).
  export SERVICE_ROOT_VARS="environment=staging name=ledger-api image=ghcr.io/acme/ledger-api:1.0.0"
  local v service_root_args=()
  for v in $SERVICE_ROOT_VARS; do service_root_args+=(-var "$v"); done

  # One apply per root: the emulator keeps every CreateService field, so the first plan is clean.
  # The service root needs staging's environment; prod is independent.
  # shellcheck disable=SC2016 # expanded by parallel's eval
  parallel 'apply_root demo/staging && apply_root service-root "${service_root_args[@]}"' "apply_root demo/prod"

  # The two files touch different roots and run side by side; the tests within a file run in order.
  # Meanwhile, the examples that stand alone are applied and destroyed by `terraform test`.
  parallel "module_test examples/portal tests/emulator -var=aws_endpoint=$ENDPOINT" \
    "module_test examples/ecr-shared tests/emulator -var=aws_endpoint=$ENDPOINT" \
    "module_test portal-events tests/emulator -var=aws_endpoint=$ENDPOINT" \
    'node_tests main "$MODULES/tests/integration.test.mjs" "$MODULES/tests/migration.test.mjs"'

  destroy_root service-root "${service_root_args[@]}"
  parallel "destroy_root demo/prod" "destroy_root demo/staging"
  wait "$cross_pid"; cat "$WORK/cross-account.out"
  echo "==> integration stage: $(seconds_since "$t0") s"
}

# node_tests NAME FILES...: node --test with a TAP copy in $WORK/NAME.tap; one result per test (a
# test cancelled by a failure outside any test counts as failed, skipped ones are named), and a run
# that exits non-zero without a failed test fails too.
node_tests() {
  local name=$1 status counts np nf ns
  shift
  echo "==> node --test $(for f in "$@"; do printf '%s ' "${f#"$REPO_ROOT"/}"; done)"
  node --test --test-concurrency=2 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$WORK/$name.tap" \
    "$@" 2>&1 | sed 's/^/    /'
  status=${PIPESTATUS[0]}
  if ! counts=$(node "$REPO_ROOT/scripts/tap-counts.mjs" "$WORK/$name.tap" "$WORK/$name.skipped" "$WORK/$name.failed"); then
    fail "node tests $name did not run (see output above)"
  else
    read -r np nf ns <<<"$counts"
    for _ in $(seq 1 "$np"); do echo ok >>"$RESULTS"; done
    for _ in $(seq 1 "$nf"); do echo FAIL >>"$RESULTS"; done
    while IFS= read -r line; do echo "FAILED node $name: $line" >>"$RESULTS"; done <"$WORK/$name.failed"
    while IFS= read -r line; do echo "SKIP node $name: $line" >>"$RESULTS"; done <"$WORK/$name.skipped"
    echo "  node tests $name: $np passed, $nf failed, $ns skipped"
    [ "$status" -eq 0 ] || [ "$nf" -gt 0 ] || fail "node --test $name exited $status with no failed test (see output above)"
  fi
}

# The demo across accounts, next to the single-account roots on the same emulator: apply (demo-aws.sh
# keeps its states under .run/demo-state/<port>), checks, and destroy by the test's last case.
cross_account() {
  local t0 log="$LOGS/cross-account-apply.log"
  t0=$(date +%s.%N)
  echo "==> cross-account demo (ECS_DEPLOY_CROSS_ACCOUNT=1 scripts/demo-aws.sh apply)"
  if ECS_DEPLOY_CROSS_ACCOUNT=1 ECS_DEPLOY_TF_DEBUG_LOGS=1 "$REPO_ROOT/scripts/demo-aws.sh" apply "$ENDPOINT" >"$log" 2>&1; then
    pass "cross-account demo applied (portal-access, portal-events, staging in 111111111111, prod in 222222222222) in $(seconds_since "$t0") s"
    node_tests cross-account "$MODULES/tests/cross-account.test.mjs"
  else
    fail "cross-account demo apply" "$log"
    ECS_DEPLOY_CROSS_ACCOUNT=1 "$REPO_ROOT/scripts/demo-aws.sh" destroy "$ENDPOINT" >>"$log" 2>&1
  fi
  rm -rf "$RUN_DIR/demo-state/${ENDPOINT##*:}"
  echo "==> cross-account: $(seconds_since "$t0") s"
}

# Finds the provider mirror once (scripts/terraform.sh caches where it is), before the parallel
# stages; their inits then only link the provider from that read-only mirror (no shared cache).
"$TF" version >"$LOGS/terraform-version.log" 2>&1 || { cat "$LOGS/terraform-version.log"; exit 1; }

(RESULTS="$WORK/static.results"; : >"$RESULTS"; stage_static) >"$WORK/static.out" 2>&1 &
static_pid=$!
if [ "${SKIP_INTEGRATION:-}" = 1 ]; then
  wait "$static_pid"; cat "$WORK/static.out"
  echo "==> integration skipped (SKIP_INTEGRATION=1)"
else
  need "${EMULATOR_PYTHON:-python3}" "Install Python 3 with moto 5.x (pip install 'moto[server]')."
  (RESULTS="$WORK/integration.results"; : >"$RESULTS"; stage_integration) >"$WORK/integration.out" 2>&1 &
  integration_pid=$!
  wait "$static_pid"; cat "$WORK/static.out"
  wait "$integration_pid"; cat "$WORK/integration.out"
fi

PASSED=$(cat "$WORK"/*.results | grep -c '^ok$')
FAILED=$(cat "$WORK"/*.results | grep -c '^FAIL\b')
SKIPPED=$(cat "$WORK"/*.results | grep -c '^SKIP ')
echo "==> total runtime $(($(date +%s) - START)) s"
[ "$FAILED" -eq 0 ] || echo "logs kept in $WORK"
echo "terraform: $PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ -n "${RESULTS_DIR:-}" ]; then
  mkdir -p "$RESULTS_DIR" && echo "$PASSED $FAILED $SKIPPED" >"$RESULTS_DIR/terraform.counts"
  cat "$WORK"/*.results | sed -n 's/^SKIP //p' >"$RESULTS_DIR/terraform.skipped"
  cat "$WORK"/*.results | sed -n 's/^FAIL //p; s/^FAILED //p' >"$RESULTS_DIR/terraform.failures"
fi
[ "$FAILED" -eq 0 ]
