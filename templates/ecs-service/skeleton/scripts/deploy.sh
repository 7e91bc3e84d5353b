#!/usr/bin/env bash
# Deploys ${{ values.name }} to one environment, the way CI does (and the portal's promotion):
#   1. writes the image to the environment's SSM parameter, the deploy contract;
#   2. applies terraform/<environment>, which registers a task definition revision with that
#      image and rolls the ECS service to it.
# Without an image it only applies the root: the first run creates the service on its initial
# image; later runs reconcile. The first deployment with an image creates the service on it.
#   scripts/deploy.sh <environment> [image]
#   scripts/deploy.sh staging ghcr.io/acme/${{ values.name }}:1.1.0
# Environment (optional):
#   TERRAFORM          the Terraform command (default: terraform)
#   AWS_ENDPOINT       a local AWS emulator, e.g. http://127.0.0.1:4566 (default: real AWS;
#                      credentials then come from the environment or the CI role)
#   TF_BACKEND_CONFIG  an extra -backend-config for init, e.g. path=/var/state/staging.tfstate
set -euo pipefail

SERVICE='${{ values.name }}'
cd "$(dirname "$0")/.."

die() { echo "error: $*" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/deploy.sh <environment> [image]"
env=$1
image=${2:-}
root="terraform/$env"
if ! [[ "$env" =~ ^[a-z][a-z0-9-]{1,20}$ ]] || [ ! -f "$root/main.tf" ]; then
  die "unknown environment '$env': no $root/main.tf (environments: $(ls terraform | tr '\n' ' '))"
fi
if [ -n "$image" ] && ! [[ "$image" =~ ^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})$ ]]; then
  die "invalid image '$image': expected <repository>:<tag> or <repository>@sha256:<digest>"
fi

tf() { "${TERRAFORM:-terraform}" "$@"; }
export TF_IN_AUTOMATION=1 TF_INPUT=0
# Both roots below use the same provider: download (or link) it once.
export TF_PLUGIN_CACHE_DIR="${TF_PLUGIN_CACHE_DIR:-$HOME/.terraform.d/plugin-cache}"
mkdir -p "$TF_PLUGIN_CACHE_DIR"
vars=()
if [ -n "${AWS_ENDPOINT:-}" ]; then
  vars=(-var "aws_endpoint=$AWS_ENDPOINT")
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
fi
init=(-input=false -no-color)
[ -z "${TF_BACKEND_CONFIG:-}" ] || init+=(-reconfigure "-backend-config=$TF_BACKEND_CONFIG")
apply() {
  echo "==> $SERVICE: applying $root"
  tf -chdir="$root" apply -auto-approve -input=false -no-color ${vars[@]+"${vars[@]}"} "$@"
}

echo "==> $SERVICE: terraform init ($root)"
tf -chdir="$root" init "${init[@]}" >/dev/null

# The ARN of the root's image parameter as its state records it (arn:aws:ssm:<region>:...); empty
# before the first apply. `state pull` reads the state without loading the provider.
parameter_arn() {
  tf -chdir="$root" state pull 2>/dev/null |
    grep -o "\"arn:aws:ssm:[a-z0-9-]*:[0-9]*:parameter/ecs-deploy/$env/$SERVICE/image/$SERVICE\"" |
    head -n 1 | tr -d '"' || true
}

if [ -n "$image" ]; then
  arn=$(parameter_arn)
  if [ -z "$arn" ]; then
    # The root's image variable: the service is created on the image, in one deployment.
    echo "==> $SERVICE: first deployment to $env: creating the service on $image"
    apply -var "image=$image"
    exit 0
  fi
  region=$(cut -d: -f4 <<<"$arn")
  parameter=${arn#*:parameter}
  echo "==> $SERVICE: $parameter = $image"
  # A throwaway root that imports the parameter (it belongs to the environment's root, which
  # ignores its value) and changes nothing but the value; its state is discarded. It signs as the
  # environment's root does: the same providers.tf (region, emulator endpoint, and the role it
  # assumes in the environment's account).
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp "$root/providers.tf" "$work/providers.tf"
  cat >"$work/parameter.tf" <<'HCL'
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.37, < 7.0"
    }
  }
}

variable "name" {
  description = "The parameter, /ecs-deploy/<environment>/<service>/image/<container>."
  type        = string
}

variable "image" {
  description = "The image to deploy, <repository>:<tag> or <repository>@sha256:<digest>."
  type        = string
}

import {
  to = aws_ssm_parameter.image
  id = var.name
}

resource "aws_ssm_parameter" "image" {
  name = var.name
  type = "String"
  # `value`, not `insecure_value`: an imported parameter only has `value` in its state, and an
  # update sends that attribute.
  value = var.image

  lifecycle {
    # Description, tags and the rest stay as terraform/<environment> made them.
    ignore_changes = [description, tags, tier, data_type, allowed_pattern, key_id]
  }
}
HCL
  TF_DATA_DIR="$work/.terraform" tf -chdir="$work" init -input=false -no-color >/dev/null
  TF_DATA_DIR="$work/.terraform" tf -chdir="$work" apply -auto-approve -input=false -no-color \
    -var "name=$parameter" -var "image=$image" -var "aws_region=$region" ${vars[@]+"${vars[@]}"}
fi
apply
