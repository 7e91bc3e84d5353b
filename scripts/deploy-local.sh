#!/usr/bin/env bash
# The local stand-in for "merge to main" of a service created from the template and published
# locally: runs its repository's scripts/deploy.sh (.run/published/<service>) against the local
# emulator, with the state the portal's provisioning keeps (.run/terraform-state/<service>/<env>).
#   scripts/deploy-local.sh <service> <version> [environment]   # default environment: staging
#   scripts/deploy-local.sh demo-svc 1.1.0                      # ghcr.io/acme/demo-svc:1.1.0 to staging
# The emulator: ECS_DEPLOY_AWS_ENDPOINT, else http://127.0.0.1:${EMULATOR_PORT:-4566} (the portal's).
# IMAGE_REPOSITORY (default ghcr.io/acme, app-config.yaml's ecsDeploy.scaffolder.imageRepository)
# prefixes the image. A version containing "broken" makes the emulator fail the rollout.
set -euo pipefail
source "$(dirname "$0")/env.sh"

usage() { echo "usage: scripts/deploy-local.sh <service> <version> [environment]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
service=$1 version=$2 env=${3:-staging}
repo="$RUN_DIR/published/$service"
if ! [[ "$service" =~ ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ ]] || [ ! -f "$repo/scripts/deploy.sh" ]; then
  known=$(cd "$RUN_DIR/published" 2>/dev/null && ls -d -- */ 2>/dev/null | tr -d / | tr '\n' ' ')
  die "no service '$service' published with scripts/deploy.sh under .run/published (there: ${known:-none})"
fi
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] ||
  die "invalid version '$version': a tag such as 1.1.0 (letters, digits, . _ -)"
[[ "$env" =~ ^[a-z][a-z0-9-]{1,20}$ ]] || die "invalid environment '$env'"
endpoint="${ECS_DEPLOY_AWS_ENDPOINT:-http://127.0.0.1:${EMULATOR_PORT:-4566}}"
curl -sf -o /dev/null "$endpoint/_emulator/health" ||
  die "no emulator answers on $endpoint: start the portal (scripts/start.sh) or set EMULATOR_PORT"
image="${IMAGE_REPOSITORY:-ghcr.io/acme}/$service:$version"

echo "==> deploying $image to $env of $service (emulator $endpoint)"
TERRAFORM="$REPO_ROOT/scripts/terraform.sh" \
  AWS_ENDPOINT="$endpoint" \
  TF_BACKEND_CONFIG="path=$RUN_DIR/terraform-state/$service/$env/terraform.tfstate" \
  bash "$repo/scripts/deploy.sh" "$env" "$image"
echo "==> $image is rolling out in $env; the portal's card shows the rollout"
