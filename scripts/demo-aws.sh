#!/usr/bin/env bash
# Gives the local AWS emulator its demo clusters and services by applying the Terraform demo
# composition (terraform-modules/examples/demo/{staging,prod}) to it.
#   scripts/demo-aws.sh apply [endpoint]    # default endpoint http://127.0.0.1:${EMULATOR_PORT:-4566}
#   scripts/demo-aws.sh destroy [endpoint]
# Cross-account (default, as app-config.yaml expects it): staging in ECS_DEPLOY_STAGING_ACCOUNT
# (111111111111) and prod in ECS_DEPLOY_PROD_ACCOUNT (222222222222). For each, from the caller's
# (main) account:
#   1. examples/demo/access through the account's bootstrap role (ECS_DEPLOY_BOOTSTRAP_ROLE, default
#      OrganizationAccountAccessRole): the portal role (backstage-ecs-deploy, external ID
#      ecs-deploy-local), the Terraform role (ecs-deploy-terraform, external ID
#      ecs-deploy-terraform-local) and the ECS events queue;
#   2. the stage root through that Terraform role.
# Single account (ECS_DEPLOY_CROSS_ACCOUNT=0): both stages in the caller's account (the emulator's
# 123456789012), for a portal configured with that account only.
# ECS_DEPLOY_TF_DEBUG_LOGS=1 also writes the provider's debug log of each Terraform run next to its
# state (<root>-<action>.tf.log: every AWS call, e.g. to compare with a role's policy).
# State goes to .run/demo-state/<port>/<root>.tfstate (local backend, -backend-config=path=…); the
# emulator is in-memory: a fresh emulator needs a fresh state, so `apply` starts from an empty state.
set -euo pipefail
source "$(dirname "$0")/env.sh"
action="${1:-}"
endpoint="${2:-http://127.0.0.1:${EMULATOR_PORT:-4566}}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
cross_account="${ECS_DEPLOY_CROSS_ACCOUNT:-1}"
bootstrap_role="${ECS_DEPLOY_BOOTSTRAP_ROLE:-OrganizationAccountAccessRole}"
declare -A account=([staging]="${ECS_DEPLOY_STAGING_ACCOUNT:-111111111111}" [prod]="${ECS_DEPLOY_PROD_ACCOUNT:-222222222222}")
terraform_external_id=ecs-deploy-terraform-local
# One state per emulator endpoint (port), so runs against different emulators do not collide.
state_dir="$RUN_DIR/demo-state/${endpoint##*:}"
mkdir -p "$state_dir"
TF="$REPO_ROOT/scripts/terraform.sh"
EXAMPLES="$REPO_ROOT/terraform-modules/examples/demo"

# tf KEY DIR ARGS...: terraform in DIR with the data dir and state of KEY under $state_dir, nothing
# in the repo tree (KEY: staging, prod, access-staging, access-prod).
tf() {
  local key=$1 dir=$2
  shift 2
  if [ "${ECS_DEPLOY_TF_DEBUG_LOGS:-0}" = 1 ]; then
    TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$state_dir/$key-$1.tf.log" TF_DATA_DIR="$state_dir/$key.data" "$TF" -chdir="$dir" "$@"
  else
    TF_DATA_DIR="$state_dir/$key.data" "$TF" -chdir="$dir" "$@"
  fi
}
tf_init() {
  tf "$1" "$2" init -input=false -no-color -reconfigure -backend-config="path=$state_dir/$1.tfstate" \
    >"$state_dir/$1-init.log" 2>&1 || die "terraform init of $1 failed; see $state_dir/$1-init.log"
}
terraform_role_arn() {
  tf "access-$1" "$EXAMPLES/access" output -raw terraform_role_arn 2>/dev/null ||
    die "no Terraform role for $1: apply the access root first ($0 apply)"
}
# run KEY DIR ACTION: apply or destroy one root (KEY: STAGE or access-STAGE), its output in
# $state_dir/KEY-ACTION.log; in cross-account mode through the account's bootstrap or Terraform role.
run() {
  local key=$1 dir=$2 what=$3 stage=${1#access-} role
  local args=("-var=aws_endpoint=$endpoint")
  if [ "$cross_account" = 1 ] && [ "$key" = "access-$stage" ]; then
    args+=("-var=account_id=${account[$stage]}" "-var=environments=[\"$stage\"]"
      "-var=assume_role={ role_arn = \"arn:aws:iam::${account[$stage]}:role/$bootstrap_role\" }")
  elif [ "$cross_account" = 1 ]; then
    role=$(terraform_role_arn "$stage")
    args+=("-var=assume_role={ role_arn = \"$role\", external_id = \"$terraform_external_id\" }")
  fi
  tf "$key" "$dir" "$what" -auto-approve -input=false -no-color "${args[@]}" >"$state_dir/$key-$what.log" 2>&1 ||
    die "terraform $what of $key failed; see $state_dir/$key-$what.log"
}

# apply_stage STAGE: (cross-account: its access root, then) the stage, from empty states.
apply_stage() {
  local stage=$1
  rm -f "$state_dir/$stage.tfstate"* "$state_dir/access-$stage.tfstate"*
  if [ "$cross_account" = 1 ]; then
    tf_init "access-$stage" "$EXAMPLES/access"
    run "access-$stage" "$EXAMPLES/access" apply
    echo "==> account ${account[$stage]}: portal and Terraform roles, events queue"
  fi
  tf_init "$stage" "$EXAMPLES/$stage"
  run "$stage" "$EXAMPLES/$stage" apply
  if [ "$cross_account" = 1 ]; then
    echo "==> demo $stage applied to $endpoint in account ${account[$stage]}"
  else
    echo "==> demo $stage applied to $endpoint"
  fi
}
destroy_stage() {
  local stage=$1
  if [ -f "$state_dir/$stage.tfstate" ]; then
    tf_init "$stage" "$EXAMPLES/$stage"
    run "$stage" "$EXAMPLES/$stage" destroy
  fi
  if [ "$cross_account" = 1 ] && [ -f "$state_dir/access-$stage.tfstate" ]; then
    tf_init "access-$stage" "$EXAMPLES/access"
    run "access-$stage" "$EXAMPLES/access" destroy
  fi
}

case "$action" in
  apply | destroy)
    start=$(date +%s)
    # The stages share nothing: both at once.
    "${action}_stage" staging & staging=$!
    "${action}_stage" prod & prod=$!
    failed=0
    wait "$staging" || failed=1
    wait "$prod" || failed=1
    [ "$failed" -eq 0 ] || exit 1
    [ "$action" = destroy ] || echo "==> demo AWS ready in $(( $(date +%s) - start ))s"
    ;;
  *) echo "usage: [ECS_DEPLOY_CROSS_ACCOUNT=0] $0 apply|destroy [endpoint]" >&2; exit 2 ;;
esac
