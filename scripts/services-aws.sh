#!/usr/bin/env bash
# Gives the local AWS emulator back the services created from the template: applies each
# published repository's roots (.run/published/<service>/terraform/<environment>) with its state
# under .run/terraform-state/<service>/<environment>, several roots at a time. Run after
# scripts/demo-aws.sh apply (the roots find their environment through what the demo created).
#   scripts/services-aws.sh apply [endpoint]        # default http://127.0.0.1:${EMULATOR_PORT:-4566}
#   scripts/services-aws.sh save-images [endpoint]  # before the emulator stops (start.sh does)
# The emulator keeps nothing across restarts, so each root starts from an empty state (a state
# of the previous emulator names resources that no longer exist). save-images records the image
# each environment runs (deploys and promotions change it outside Terraform) next to its state;
# apply creates the service on that image directly (the root's `image` variable: one task
# definition, one deployment). A root rendered before that variable existed comes up on its
# initial image and is deployed again with the repository's scripts/deploy.sh.
# SERVICES_PARALLEL (default 4) roots are applied at once; logs next to each state (apply.log).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT" # node resolves the AWS SDK from here
action="${1:-}"
endpoint="${2:-http://127.0.0.1:${EMULATOR_PORT:-4566}}"
case "$action" in apply | save-images) ;; *) echo "usage: $0 apply|save-images [endpoint]" >&2; exit 2 ;; esac
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
# The local default's directories (app-config.yaml); a test points them at its own.
published="${SERVICES_PUBLISHED_DIR:-$RUN_DIR/published}"
states="${SERVICES_STATE_DIR:-$RUN_DIR/terraform-state}"
parallel="${SERVICES_PARALLEL:-4}"
[[ "$parallel" =~ ^[1-9][0-9]?$ ]] || die "SERVICES_PARALLEL=$parallel is not a number from 1 to 99"
TF="$REPO_ROOT/scripts/terraform.sh"

if [ "$action" = save-images ]; then
  # <state dir>/<service>/<environment>/image: the value of the root's image parameter, read at
  # the ARN its state records (the environment's region and account: another account's through
  # its Terraform role, as the root applied it; app-config.yaml's scaffolder.terraformRole).
  node --input-type=module -e '
    import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
    import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
    import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
    const [endpoint, states] = process.argv.slice(1);
    const main = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
    const MAIN_ACCOUNT = "123456789012"; // the emulator account of its test keys
    const credentialsIn = async (account, region) => {
      if (account === MAIN_ACCOUNT) return main;
      const { Credentials: c } = await new STSClient({ endpoint, region, credentials: main }).send(new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/ecs-deploy-terraform`, ExternalId: "ecs-deploy-terraform-local", RoleSessionName: "save-images",
      }));
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    };
    let saved = 0;
    for (const service of existsSync(states) ? readdirSync(states) : []) {
      for (const env of readdirSync(`${states}/${service}`)) {
        const dir = `${states}/${service}/${env}`;
        if (!existsSync(`${dir}/terraform.tfstate`)) continue;
        const state = JSON.parse(readFileSync(`${dir}/terraform.tfstate`, "utf8"));
        const param = (state.resources ?? []).find(r => r.module === "module.service" && r.type === "aws_ssm_parameter" && r.name === "image");
        const arn = param?.instances?.[0]?.attributes?.arn;
        if (!arn) continue;
        const [, , , region, account] = arn.split(":");
        const name = arn.slice(arn.indexOf(":parameter") + ":parameter".length);
        try {
          const credentials = await credentialsIn(account, region);
          const { Parameter } = await new SSMClient({ endpoint, region, credentials }).send(new GetParameterCommand({ Name: name }));
          writeFileSync(`${dir}/image`, `${Parameter.Value}\n`);
          saved++;
        } catch (e) {
          console.error(`    ${service}/${env}: ${e.name}: ${e.message}`);
        }
      }
    }
    console.log(`==> saved the images of ${saved} created service environments`);
  ' "$endpoint" "$states"
  exit 0
fi

# The image parameter's value recorded in a state file (empty when there is none).
image_in_state() {
  [ -f "$1" ] || return 0
  node -e '
    const state = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const param = (state.resources ?? []).find(
      r => r.module === "module.service" && r.type === "aws_ssm_parameter" && r.name === "image");
    const a = param?.instances?.[0]?.attributes ?? {};
    process.stdout.write(a.insecure_value || a.value || "");
  ' "$1"
}

# apply_root <service> <environment>: one root from an empty state on its saved image; a failure
# is a line in $failures.
apply_root() {
  local service=$1 env=$2
  local repo="$published/$service" dir="$states/$1/$2"
  local state="$dir/terraform.tfstate" log="$dir/apply.log"
  mkdir -p "$dir"
  local last=""
  [ ! -f "$dir/image" ] || last=$(cat "$dir/image")
  rm -f "$state" "$state.backup"
  # TF_VAR_image, not -var: a root without the variable ignores it (and is deployed below).
  {
    "$TF" -chdir="$repo/terraform/$env" init -input=false -no-color -reconfigure \
      -backend-config="path=$state" &&
      TF_VAR_image="$last" "$TF" -chdir="$repo/terraform/$env" apply -auto-approve -input=false -no-color \
        -var "aws_endpoint=$endpoint"
  } >"$log" 2>&1 || { echo "    FAILED $service/$env; see $log"; echo >>"$failures"; return; }
  local now
  now=$(image_in_state "$state")
  if [ -n "$last" ] && [ "$last" != "$now" ] && [ -f "$repo/scripts/deploy.sh" ]; then
    TERRAFORM="$TF" AWS_ENDPOINT="$endpoint" TF_BACKEND_CONFIG="path=$state" \
      bash "$repo/scripts/deploy.sh" "$env" "$last" >>"$log" 2>&1 ||
      { echo "    FAILED to deploy $last to $service/$env again; see $log"; echo >>"$failures"; return; }
    echo "    $service/$env applied on its initial image, then deployed $last again (a root without the image variable)"
  else
    echo "    $service/$env applied${last:+ on $last}"
  fi
}

roots=()
for main in "$published"/*/terraform/*/main.tf; do
  [ -f "$main" ] || continue
  env_dir=$(dirname "$main")
  roots+=("$(basename "$(dirname "$(dirname "$env_dir")")") $(basename "$env_dir")")
done
if [ ${#roots[@]} -eq 0 ]; then
  echo "==> no created services to apply"
  exit 0
fi
start=$(date +%s)
echo "==> applying ${#roots[@]} roots of created services to $endpoint ($parallel at a time)"
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT
for root in "${roots[@]}"; do
  # wait -n (bash >= 4.3); macOS's bash 3.2 has none: poll.
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n 2>/dev/null || sleep 0.2; done
  # shellcheck disable=SC2086 # "<service> <environment>"
  apply_root $root &
done
wait
failed=$(wc -l <"$failures")
echo "==> created services applied in $(( $(date +%s) - start ))s ($failed of ${#roots[@]} roots failed)"
[ "$failed" -eq 0 ]
