#!/usr/bin/env bash
# Tests of terraform-modules/: formatting, validation, `terraform test` unit tests (mocked AWS),
# then an integration run against a private moto_server: apply the demo roots, read everything
# back with the AWS SDK (node --test), check the promotion contract, destroy.
#   scripts/test-terraform.sh                  # everything
#   SKIP_INTEGRATION=1 scripts/test-terraform.sh   # static checks and unit tests only
# Ends with "terraform: N passed, M failed"; writes "N M" to $RESULTS_DIR/terraform.counts when
# RESULTS_DIR is set. Exit code 0 only when nothing failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
need terraform "Install Terraform >= 1.7 (https://developer.hashicorp.com/terraform/install)."

TF="$REPO_ROOT/scripts/terraform.sh"
MODULES="$REPO_ROOT/terraform-modules"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-terraform.XXXXXX")
LOGS="$WORK/logs"
mkdir -p "$LOGS"
PASSED=0
FAILED=0
MOTO_STARTED=""
START=$(date +%s)
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

pass() { PASSED=$((PASSED + 1)); echo "  ok    $1"; }
fail() {
  FAILED=$((FAILED + 1)); echo "  FAIL  $1"
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

cleanup() {
  if [ -n "$MOTO_STARTED" ]; then MOTO_PORT="$MOTO_STARTED" "$REPO_ROOT/scripts/moto.sh" stop || true; fi
  if [ "$FAILED" -eq 0 ]; then rm -rf "$WORK"; else echo "logs kept in $WORK"; fi
}
trap cleanup EXIT

echo "==> terraform fmt"
check "fmt -check -recursive terraform-modules" "$TF" fmt -check -recursive -diff "$MODULES"

echo "==> terraform validate"
ROOTS=(ecs-environment ecs-environment-ref ecs-service examples/demo/staging examples/demo/prod examples/service-root)
for root in "${ROOTS[@]}"; do
  k="validate/$(key_of "$root")"
  check "validate $root" bash -c '
    TF_DATA_DIR="$1/data" "$2" -chdir="$3" init -backend=false -input=false -no-color &&
    TF_DATA_DIR="$1/data" "$2" -chdir="$3" validate -no-color' _ "$WORK/$k" "$TF" "$MODULES/$root"
done

echo "==> terraform test (unit, mocked provider)"
for module in ecs-environment ecs-environment-ref ecs-service; do
  k="test/$module"
  log="$LOGS/test-$module.log"
  if ! tfin "$k" -chdir="$MODULES/$module" init -backend=false -input=false -no-color >"$log" 2>&1; then
    fail "terraform test $module (init)" "$log"; continue
  fi
  tfin "$k" -chdir="$MODULES/$module" test -no-color >>"$log" 2>&1
  rc=$?
  runs=0
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]+run\ \"([^\"]+)\"\.\.\.\ (pass|fail|skip) ]]; then
      runs=$((runs + 1))
      if [ "${BASH_REMATCH[2]}" = pass ]; then pass "$module: ${BASH_REMATCH[1]}"; else fail "$module: ${BASH_REMATCH[1]} (${BASH_REMATCH[2]})"; fi
    fi
  done <"$log"
  if [ "$rc" -ne 0 ]; then
    [ "$runs" -eq 0 ] && FAILED=$((FAILED + 1))
    echo "        terraform test $module exited $rc:"; grep -v '\.\.\. pass' "$log" | sed 's/^/        | /' | tail -n 60
  fi
done

if [ "${SKIP_INTEGRATION:-}" = 1 ]; then
  echo "==> integration skipped (SKIP_INTEGRATION=1)"
else
  echo "==> integration against moto"
  need moto_server "Install it with: pip install 'moto[server]' (moto 5.x)."
  need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."
  port=4620
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || [ -f "$RUN_DIR/moto-$port.pid" ]; do port=$((port + 1)); done
  if ENDPOINT=$(MOTO_PORT=$port "$REPO_ROOT/scripts/moto.sh" start); then
    MOTO_STARTED=$port
    pass "moto_server started at $ENDPOINT"
  else
    fail "moto_server start on port $port"
  fi

  if [ -n "$MOTO_STARTED" ]; then
    export AWS_ENDPOINT="$ENDPOINT" TF_WORK_DIR="$WORK"
    declare -A APPLIED=()
    # apply ROOT [extra -var args...]: init with the state under $WORK, apply (timed), then a
    # second apply: moto's CreateService drops enableECSManagedTags and availabilityZoneRebalancing
    # (its UpdateService keeps them), so the first plan after a create shows them; real AWS does not.
    apply_root() {
      local root=$1 k t0 t1 n log
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
        t1=$(date +%s.%N)
        APPLIED[$root]="$*"
        n=$(tfin "$k" -chdir="$MODULES/examples/$root" state list 2>/dev/null | grep -vc '^data\.\|\.data\.')
        pass "apply $root: $n resources in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
      else
        fail "apply $root" "$log"; return 1
      fi
      check "converge $root (moto drops some CreateService fields)" \
        tfin "$k" -chdir="$MODULES/examples/$root" apply -auto-approve -input=false -no-color -var "aws_endpoint=$ENDPOINT" "$@"
    }
    destroy_root() {
      local root=$1 k
      shift
      k=$(key_of "$root")
      [ -n "${APPLIED[$root]+x}" ] || return 0
      check "destroy $root" tfin "$k" -chdir="$MODULES/examples/$root" destroy -auto-approve -input=false -no-color \
        -var "aws_endpoint=$ENDPOINT" "$@"
    }
    SERVICE_ROOT_VARS=(-var environment=staging -var name=ledger-api -var image=ghcr.io/acme/ledger-api:1.0.0)

    apply_root demo/staging
    apply_root demo/prod
    apply_root service-root "${SERVICE_ROOT_VARS[@]}"

    echo "==> node --test terraform-modules/tests/integration.test.mjs"
    node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$WORK/node.tap" \
      "$MODULES/tests/integration.test.mjs" 2>&1 | sed 's/^/    /'
    np=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$WORK/node.tap" 2>/dev/null | tail -n 1)
    nf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$WORK/node.tap" 2>/dev/null | tail -n 1)
    if [ -z "$np" ]; then
      fail "node integration tests did not run (see output above)"
    else
      PASSED=$((PASSED + np)); FAILED=$((FAILED + ${nf:-0}))
      echo "  node tests: $np passed, ${nf:-0} failed"
    fi

    destroy_root service-root "${SERVICE_ROOT_VARS[@]}"
    destroy_root demo/prod
    destroy_root demo/staging
  fi
fi

echo "==> total runtime $(($(date +%s) - START)) s"
echo "terraform: $PASSED passed, $FAILED failed"
if [ -n "${RESULTS_DIR:-}" ]; then mkdir -p "$RESULTS_DIR" && echo "$PASSED $FAILED" >"$RESULTS_DIR/terraform.counts"; fi
[ "$FAILED" -eq 0 ]
