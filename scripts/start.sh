#!/usr/bin/env bash
# Runs the portal on the embedded defaults: installs what is missing (Node 22, Yarn, packages),
# starts the local AWS emulator with the Terraform demo applied, then the frontend (:3000) and
# backend (:7007) with in-memory SQLite and the demo catalog. Ctrl-C stops everything it started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

need moto_server "It is the local AWS emulator: pip install 'moto[server]'."
need terraform "It applies the demo environments to the emulator: install Terraform >= 1.7."
scripts/bootstrap.sh

export MOTO_PORT="${MOTO_PORT:-4566}"
export ECS_DEPLOY_AWS_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
children=()
cleanup() {
  trap - INT TERM EXIT
  trap '' PIPE # the terminal or a pipe reading our output may be gone already
  echo "==> stopping" 2>/dev/null || true
  for pid in "${children[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/moto.sh stop
}
trap cleanup INT TERM EXIT

if scripts/moto.sh status >/dev/null 2>&1; then
  scripts/moto.sh reset
else
  scripts/moto.sh start >/dev/null
fi
echo "==> local AWS emulator on $ECS_DEPLOY_AWS_ENDPOINT; applying the Terraform demo (staging, prod)"
scripts/demo-aws.sh apply "$ECS_DEPLOY_AWS_ENDPOINT"

echo "==> starting the portal: http://localhost:3000 (backend http://localhost:7007)"
set -m
yarn start "$@" &
children+=($!)
set +m
wait "${children[@]}"
