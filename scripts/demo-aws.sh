#!/usr/bin/env bash
# Gives the local AWS emulator its demo clusters and services by applying the Terraform demo
# composition (terraform-modules/examples/demo/{staging,prod}) to it.
#   scripts/demo-aws.sh apply [endpoint]    # default endpoint http://127.0.0.1:${EMULATOR_PORT:-4566}
#   scripts/demo-aws.sh destroy [endpoint]
# State goes to .run/demo-state/<stage>.tfstate (local backend, -backend-config=path=…) (the emulator is in-memory: a fresh emulator needs
# a fresh state, so `apply` starts from an empty state each time).
set -euo pipefail
source "$(dirname "$0")/env.sh"
action="${1:-}"
endpoint="${2:-http://127.0.0.1:${EMULATOR_PORT:-4566}}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
# One state per emulator endpoint (port), so runs against different emulators do not collide.
state_dir="$RUN_DIR/demo-state/${endpoint##*:}"
mkdir -p "$state_dir"
TF="$REPO_ROOT/scripts/terraform.sh"
# Each stage: its own data dir and local state file under .run/, nothing in the repo tree.
tf_init() {
  TF_DATA_DIR="$state_dir/$1.data" "$TF" -chdir="$REPO_ROOT/terraform-modules/examples/demo/$1" init \
    -input=false -no-color -reconfigure -backend-config="path=$state_dir/$1.tfstate" >"$state_dir/$1-init.log" 2>&1 \
    || die "terraform init of the $1 demo failed; see $state_dir/$1-init.log"
}

case "$action" in
  apply)
    start=$(date +%s)
    # The stages share nothing: both at once.
    apply_stage() {
      local stage=$1 dir="$REPO_ROOT/terraform-modules/examples/demo/$1"
      rm -f "$state_dir/$stage.tfstate" "$state_dir/$stage.tfstate.backup"
      tf_init "$stage"
      TF_DATA_DIR="$state_dir/$stage.data" "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color \
        -var "aws_endpoint=$endpoint" >"$state_dir/$stage-apply.log" 2>&1 \
        || die "terraform apply of the $stage demo failed; see $state_dir/$stage-apply.log"
      echo "==> demo $stage applied to $endpoint"
    }
    apply_stage staging & staging=$!
    apply_stage prod & prod=$!
    failed=0
    wait "$staging" || failed=1
    wait "$prod" || failed=1
    [ "$failed" -eq 0 ] || exit 1
    echo "==> demo AWS ready in $(( $(date +%s) - start ))s"
    ;;
  destroy)
    for stage in prod staging; do
      dir="$REPO_ROOT/terraform-modules/examples/demo/$stage"
      [ -f "$state_dir/$stage.tfstate" ] || continue
      tf_init "$stage"
      TF_DATA_DIR="$state_dir/$stage.data" "$TF" -chdir="$dir" destroy -auto-approve -input=false -no-color \
        -var "aws_endpoint=$endpoint" >"$state_dir/$stage-destroy.log" 2>&1 \
        || die "terraform destroy of the $stage demo failed; see $state_dir/$stage-destroy.log"
    done
    ;;
  *) echo "usage: $0 apply|destroy [endpoint]" >&2; exit 2 ;;
esac
