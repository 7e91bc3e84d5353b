#!/usr/bin/env bash
# Runs the portal on the embedded defaults: installs what is missing (Node 22, Yarn, packages),
# starts the local AWS emulator with the Terraform demo (staging in account 111111111111, prod in
# 222222222222, each with the portal's role) and every service created from the template applied, then the frontend (:3000) and backend (:7007) with their SQLite files under
# .run/portal-db and the demo catalog. Ctrl-C stops everything it started. --help for options.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

usage() {
  cat <<'USAGE'
usage: scripts/start.sh [--fresh] [--directory] [--oidc] [--events] [yarn start arguments...]

Starts the local AWS emulator, applies the Terraform demo and the services created from the
template to it, and runs the portal (http://localhost:3000, backend http://localhost:7007).
What you created survives Ctrl-C: the portal's database (.run/portal-db: catalog registrations,
promotion history, locks), the published repositories (.run/published) and their Terraform
state (.run/terraform-state). The emulator starts empty each time: the created services are
applied again and deployed on the image they ran when the portal was stopped.

  --fresh      start from zero: remove the portal's database, the created services and their state
  --directory  users and groups from a local LDAP directory (slapd, seeded like catalog/demo/org.yaml,
               on DIRECTORY_PORT, default 10389) through Backstage's LDAP org provider
  --oidc       sign in through a local OpenID provider (on OIDC_PORT, default 5556) with its login
               form, as alice/alice-password, carol/carol-password, ..., instead of the guest
  --events     status from the demo's ECS events queues (one per account; polling every 5 minutes
               as the safety net) with the warm index, instead of polling (app-config.events.yaml)
  -h, --help   this help

Ports (environment), e.g. for a second portal on the same machine:
  EMULATOR_PORT=4566  APP_PORT=3000  BACKEND_PORT=7007
USAGE
}

fresh=0
overlays=()
yarn_args=()
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --directory) overlays+=(directory) ;;
    --oidc) overlays+=(oidc) ;;
    --events) overlays+=(events) ;;
    -h | --help) usage; exit 0 ;;
    *) yarn_args+=("$arg") ;;
  esac
done

check_emulator_python
need terraform "It applies the demo environments to the emulator: install Terraform >= 1.7."
need curl "apt-get install curl"
scripts/bootstrap.sh

APP_PORT="${APP_PORT:-3000}"
BACKEND_PORT="${BACKEND_PORT:-7007}"
if [ "$APP_PORT" != 3000 ] || [ "$BACKEND_PORT" != 7007 ]; then
  # Backstage's environment overrides of app-config.yaml (APP_CONFIG_<path>), frontend and backend.
  export APP_CONFIG_app_baseUrl="http://localhost:$APP_PORT" \
    APP_CONFIG_backend_baseUrl="http://localhost:$BACKEND_PORT" \
    APP_CONFIG_backend_listen_port="$BACKEND_PORT" \
    APP_CONFIG_backend_cors_origin="http://localhost:$APP_PORT"
fi

if [ "$fresh" = 1 ]; then
  curl -s -o /dev/null "http://127.0.0.1:$BACKEND_PORT/" &&
    die "a portal is running on :$BACKEND_PORT; stop it before starting --fresh"
  echo "==> --fresh: removing the portal's database, the created services and their state"
  rm -rf "$RUN_DIR/portal-db" "$RUN_DIR/published" "$RUN_DIR/terraform-state"
fi

export EMULATOR_PORT="${EMULATOR_PORT:-4566}"
export ECS_DEPLOY_AWS_ENDPOINT="http://127.0.0.1:$EMULATOR_PORT"
# app-config.yaml's accounts: staging in 111111111111 and prod in 222222222222, each through its
# portal role assumed from the main account, whose keys are the emulator's test keys (the SDK's
# credential chain) and whose STS is the emulator (@backstage/integration-aws-node has no STS
# endpoint setting). Local only: app-config.production.yaml names real accounts and no endpoint.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_ENDPOINT_URL_STS="$ECS_DEPLOY_AWS_ENDPOINT"
started=$(date +%s)
children=()
cleanup() {
  trap - INT TERM EXIT
  trap '' PIPE # the terminal or a pipe reading our output may be gone already
  echo "==> stopping" 2>/dev/null || true
  for pid in ${children[@]+"${children[@]}"}; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in ${children[@]+"${children[@]}"}; do wait "$pid" 2>/dev/null || true; done
  # What the created services run, for the next start (the emulator forgets it).
  scripts/services-aws.sh save-images "$ECS_DEPLOY_AWS_ENDPOINT" || true
  scripts/emulator.sh stop
  for overlay in ${overlays[@]+"${overlays[@]}"}; do
    case "$overlay" in
      directory) scripts/directory.sh stop ;;
      oidc) scripts/oidc-provider.sh stop ;;
    esac
  done
}
trap cleanup INT TERM EXIT

if scripts/emulator.sh status >/dev/null 2>&1; then
  scripts/emulator.sh reset
else
  # A session of its own: Ctrl-C must not stop the emulator before cleanup has read it.
  detached scripts/emulator.sh start >/dev/null
fi
echo "==> local AWS emulator on $ECS_DEPLOY_AWS_ENDPOINT; applying the Terraform demo (staging, prod)"
scripts/demo-aws.sh apply "$ECS_DEPLOY_AWS_ENDPOINT"

# --directory, --oidc: their local servers (--events: the queues demo-aws.sh applied), and their
# configuration on top of app-config.yaml (and app-config.local.yaml, as yarn start reads it without --config).
config_args=()
for overlay in ${overlays[@]+"${overlays[@]}"}; do
  case "$overlay" in
    directory)
      export DIRECTORY_PORT="${DIRECTORY_PORT:-10389}"
      DIRECTORY_URL=$(scripts/directory.sh start) || die "the local directory did not start"
      export DIRECTORY_URL
      echo "==> local LDAP directory on $DIRECTORY_URL (users and groups: app-config.directory.yaml)"
      ;;
    oidc)
      export OIDC_PORT="${OIDC_PORT:-5556}"
      scripts/oidc-provider.sh start >/dev/null || die "the local OpenID provider did not start"
      echo "==> local OpenID provider on http://127.0.0.1:$OIDC_PORT (sign in as carol/carol-password, alice/alice-password, ...)"
      ;;
    events) echo "==> status from the ECS events queues of accounts 111111111111 and 222222222222" ;;
  esac
  # Absolute: yarn start reads --config relative to each package's folder.
  [ ${#config_args[@]} -gt 0 ] || config_args=(--config "$REPO_ROOT/app-config.yaml")
  [ -f app-config.local.yaml ] && [ ${#config_args[@]} -eq 2 ] && config_args+=(--config "$REPO_ROOT/app-config.local.yaml")
  config_args+=(--config "$REPO_ROOT/app-config.$overlay.yaml")
done

echo "==> starting the portal: http://localhost:$APP_PORT (backend http://localhost:$BACKEND_PORT)"
set -m
yarn start ${config_args[@]+"${config_args[@]}"} ${yarn_args[@]+"${yarn_args[@]}"} &
children+=($!)
set +m
# While the portal starts: the created services (their cards say "Not deployed" until then).
scripts/services-aws.sh apply "$ECS_DEPLOY_AWS_ENDPOINT" ||
  echo "warning: some created services could not be applied (see above); the portal runs anyway"
echo "==> emulator ready with the demo and the created services in $(( $(date +%s) - started ))s"
wait "${children[@]}"
