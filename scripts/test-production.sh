#!/usr/bin/env bash
# The production overlay, proven: builds the backend bundle (yarn build:backend; or reuses the
# one in packages/backend/dist when PRODUCTION_REUSE_BUILD=1) and runs scripts/test-production.mjs:
# the bundle started with NODE_ENV=production on app-config.yaml + app-config.production.yaml +
# environment variables only, on a throwaway PostgreSQL and Redis, the local OpenID provider, a
# local LDAP directory (slapd) and the emulator standing for AWS. A start without a required
# setting must stop with one line naming it; a full start is signed in to through the provider's
# login form and promotes, follows, notifies and audits (the checks: scripts/production/).
# Installs what is missing (packages, Debian's slapd, ldap-utils, redis-server).
# Ends with "production: N passed, N failed" and writes $RESULTS_DIR/production.counts.
# Options (environment):
#   PRODUCTION_REUSE_BUILD=1   reuse packages/backend/dist/bundle.tar.gz
#   PRODUCTION_PG_PORT=5441 PRODUCTION_REDIS_PORT=6391   its PostgreSQL and Redis
#   PRODUCTION_PORT            the backend's port (default: a free one)
#   SKIP_INSTALL=1             skip bootstrap.sh
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
START=$(date +%s)
PG_PORT="${PRODUCTION_PG_PORT:-5441}"
REDIS_PORT="${PRODUCTION_REDIS_PORT:-6391}"
COUNTS_WRITTEN=0 # set once the checks wrote their counts

finish() {
  local status=$?
  trap - EXIT
  PG_PORT="$PG_PORT" scripts/postgres.sh stop >/dev/null 2>&1 || true
  REDIS_PORT="$REDIS_PORT" scripts/redis.sh stop >/dev/null 2>&1 || true
  if [ "$COUNTS_WRITTEN" != 1 ]; then
    # It stopped before its checks ran: one failure.
    [ -n "${RESULTS_DIR:-}" ] && mkdir -p "$RESULTS_DIR" && echo "0 1" >"$RESULTS_DIR/production.counts"
    echo "production: 0 passed, 1 failed"
    status=1
  fi
  echo "==> production test finished in $(( $(date +%s) - START ))s"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

if [ "${SKIP_INSTALL:-}" != 1 ] && { [ ! -x "$NODE_HOME/bin/node" ] || [ ! -d node_modules ]; }; then
  if [ "${CI:-}" = true ]; then scripts/bootstrap.sh --immutable; else scripts/bootstrap.sh; fi || die "install failed"
fi
check_emulator_python
scripts/directory.sh install

if [ "${PRODUCTION_REUSE_BUILD:-}" = 1 ] && [ -f packages/backend/dist/bundle.tar.gz ]; then
  echo "==> reusing packages/backend/dist/bundle.tar.gz"
else
  echo "==> yarn build:backend"
  mkdir -p "$RUN_DIR/production"
  yarn build:backend >"$RUN_DIR/production/build.log" 2>&1 ||
    { tail -n 40 "$RUN_DIR/production/build.log"; die "the backend build failed; see .run/production/build.log"; }
  echo "    (built in $(( $(date +%s) - START ))s)"
fi

PRODUCTION_PG_URL=$(PG_PORT="$PG_PORT" scripts/postgres.sh start) || die "PostgreSQL could not start"
PRODUCTION_REDIS_URL=$(REDIS_PORT="$REDIS_PORT" scripts/redis.sh start) || die "Redis could not start"
export PRODUCTION_PG_URL PRODUCTION_REDIS_URL
echo "==> checks (PostgreSQL $PRODUCTION_PG_URL, Redis $PRODUCTION_REDIS_URL)"
results="${RESULTS_DIR:-$RUN_DIR/production}"
mkdir -p "$results" && rm -f "$results/production.counts"
RESULTS_DIR="$results" node scripts/test-production.mjs
status=$?
[ -f "$results/production.counts" ] && COUNTS_WRITTEN=1
exit "$status"
