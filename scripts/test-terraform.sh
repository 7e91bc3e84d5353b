#!/usr/bin/env bash
# Tests of terraform-modules/, in two stages that run at the same time:
#   static:      fmt, generated files up to date (names.tftest.hcl, README tables), validate, and
#                `terraform test` of each module (mocked AWS);
#   integration: a private emulator (scripts/emulator.sh), apply of the demo roots and the service root,
#                read-back with the AWS SDK, promotion and rollback contract, autoscaling switch
#                (integration.test.mjs) and the move from the two-resource service module
#                (migration.test.mjs), destroy.
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

# Each stage appends one line per result ("ok", "FAIL" or "SKIP <name>") to its own $RESULTS file
# and prints its report to its own output file; the reports are shown in order once the stages are
# done.
pass() { echo ok >>"$RESULTS"; echo "  ok    $1"; }
skip() { echo "SKIP $1" >>"$RESULTS"; echo "  skip  $1"; }
fail() {
  echo FAIL >>"$RESULTS"; echo "  FAIL  $1"
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

# terraform test MODULE: one result per run block, read from the test output.
module_test() {
  local module=$1 k="test/$1" log="$LOGS/test-$1.log" rc runs=0 line
  if ! tfin "$k" -chdir="$MODULES/$module" init -backend=false -input=false -no-color >"$log" 2>&1; then
    fail "terraform test $module (init)" "$log"; return
  fi
  tfin "$k" -chdir="$MODULES/$module" test -no-color >>"$log" 2>&1
  rc=$?
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]+run\ \"([^\"]+)\"\.\.\.\ (pass|fail|skip) ]]; then
      runs=$((runs + 1))
      case "${BASH_REMATCH[2]}" in
        pass) pass "$module: ${BASH_REMATCH[1]}" ;;
        skip) skip "$module: ${BASH_REMATCH[1]}" ;;
        *) fail "$module: ${BASH_REMATCH[1]} (${BASH_REMATCH[2]})" ;;
      esac
    fi
  done <"$log"
  if [ "$rc" -ne 0 ]; then
    [ "$runs" -eq 0 ] && echo FAIL >>"$RESULTS"
    echo "        terraform test $module exited $rc:"; grep -v '\.\.\. pass' "$log" | sed 's/^/        | /' | tail -n 60
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

  echo "==> terraform validate"
  for root in ecs-environment ecs-environment-ref ecs-service examples/demo/staging examples/demo/prod examples/service-root; do
    check "validate $root" bash -c '
      TF_DATA_DIR="$1/data" "$2" -chdir="$3" init -backend=false -input=false -no-color &&
      TF_DATA_DIR="$1/data" "$2" -chdir="$3" validate -no-color' _ "$WORK/validate/$(key_of "$root")" "$TF" "$MODULES/$root"
  done

  echo "==> terraform test (unit, mocked provider)"
  for module in ecs-service ecs-environment ecs-environment-ref; do module_test "$module"; done
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
  local job i=0 pids=()
  for job in "$@"; do
    (eval "$job") >"$WORK/parallel.$i.out" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}"; cat "$WORK/parallel.$i.out"; done
}

stage_integration() {
  local t0 port np nf
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
  # examples/service-root's variables, also read by the integration tests (space-separated name=value).
  export SERVICE_ROOT_VARS="environment=staging name=ledger-api image=ghcr.io/acme/ledger-api:1.0.0"
  local v service_root_args=()
  for v in $SERVICE_ROOT_VARS; do service_root_args+=(-var "$v"); done

  # One apply per root: the emulator keeps every CreateService field, so the first plan is clean.
  # The service root needs staging's environment; prod is independent.
  # shellcheck disable=SC2016 # expanded by parallel's eval
  parallel 'apply_root demo/staging && apply_root service-root "${service_root_args[@]}"' "apply_root demo/prod"

  # The two files touch different roots and run side by side; the tests within a file run in order.
  echo "==> node --test terraform-modules/tests/{integration,migration}.test.mjs"
  node --test --test-concurrency=2 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$WORK/node.tap" \
    "$MODULES/tests/integration.test.mjs" "$MODULES/tests/migration.test.mjs" 2>&1 | sed 's/^/    /'
  local status=${PIPESTATUS[0]} counts ns name
  if ! counts=$(node "$REPO_ROOT/scripts/tap-counts.mjs" "$WORK/node.tap" "$WORK/node.skipped"); then
    fail "node integration tests did not run (see output above)"
  else
    read -r np nf ns <<<"$counts"
    for _ in $(seq 1 "$np"); do echo ok >>"$RESULTS"; done
    for _ in $(seq 1 "$nf"); do echo FAIL >>"$RESULTS"; done
    while IFS= read -r name; do echo "SKIP node: $name" >>"$RESULTS"; done <"$WORK/node.skipped"
    echo "  node tests: $np passed, $nf failed, $ns skipped"
    [ "$status" -eq 0 ] || [ "$nf" -gt 0 ] || fail "node --test exited $status with no failed test (see output above)"
  fi

  destroy_root service-root "${service_root_args[@]}"
  parallel "destroy_root demo/prod" "destroy_root demo/staging"
  echo "==> integration stage: $(seconds_since "$t0") s"
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
FAILED=$(cat "$WORK"/*.results | grep -c '^FAIL$')
SKIPPED=$(cat "$WORK"/*.results | grep -c '^SKIP ')
echo "==> total runtime $(($(date +%s) - START)) s"
[ "$FAILED" -eq 0 ] || echo "logs kept in $WORK"
echo "terraform: $PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ -n "${RESULTS_DIR:-}" ]; then
  mkdir -p "$RESULTS_DIR" && echo "$PASSED $FAILED $SKIPPED" >"$RESULTS_DIR/terraform.counts"
  cat "$WORK"/*.results | sed -n 's/^SKIP //p' >"$RESULTS_DIR/terraform.skipped"
fi
[ "$FAILED" -eq 0 ]
