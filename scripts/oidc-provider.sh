#!/usr/bin/env bash
# A local OpenID provider (packages/dev-kit/src/oidc/server.ts: panva's oidc-provider, OpenID
# Certified) with the demo organisation's people, each signing in with the password
# <user>-password (alice/alice-password, ...), and erin/erin-password, whom the catalog does not
# know. One client, the portal, with the authorization code flow. Loopback only, state in memory.
#   scripts/oidc-provider.sh start   # starts it (if not running), prints its metadata URL
#   scripts/oidc-provider.sh stop
#   scripts/oidc-provider.sh status
# OIDC_PORT (default 5556); the portal's client: OIDC_CLIENT_ID (default portal),
# OIDC_CLIENT_SECRET (default local-oidc-secret), OIDC_REDIRECT_URIS (space separated; default
# the local portal's http://localhost:7007/api/auth/oidc/handler/frame).
set -euo pipefail
source "$(dirname "$0")/env.sh"
OIDC_PORT="${OIDC_PORT:-5556}"
PID_FILE="$RUN_DIR/oidc-provider-$OIDC_PORT.pid"
LOG_FILE="$RUN_DIR/oidc-provider-$OIDC_PORT.log"
ISSUER="http://127.0.0.1:$OIDC_PORT"
METADATA_URL="$ISSUER/.well-known/openid-configuration"

ready() { curl -sf -o /dev/null "$METADATA_URL"; }
running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running && ready; then echo "$METADATA_URL"; exit 0; fi
    need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."
    need curl "Install it with: apt-get install curl."
    redirects=""
    for uri in ${OIDC_REDIRECT_URIS:-http://localhost:7007/api/auth/oidc/handler/frame}; do
      redirects="$redirects${redirects:+,}\"$uri\""
    done
    clients="[{\"clientId\":\"${OIDC_CLIENT_ID:-portal}\",\"clientSecret\":\"${OIDC_CLIENT_SECRET:-local-oidc-secret}\",\"redirectUris\":[$redirects]}]"
    nohup node "$REPO_ROOT/packages/dev-kit/src/oidc/server.ts" --port "$OIDC_PORT" --clients "$clients" \
      >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 100); do
      if ready; then echo "$METADATA_URL"; exit 0; fi
      running || die "the OpenID provider exited at start; see $LOG_FILE"
      sleep 0.2
    done
    die "the OpenID provider did not answer on $ISSUER within 20 s; see $LOG_FILE"
    ;;
  stop)
    if running; then
      pid=$(cat "$PID_FILE")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running && ready; then echo "running at $ISSUER (pid $(cat "$PID_FILE"))"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
