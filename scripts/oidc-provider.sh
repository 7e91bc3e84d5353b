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
METADATA_URL="http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"

case "${1:-}" in
  start)
    if pid_alive "$PID_FILE"; then echo "$METADATA_URL"; exit 0; fi
    need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."
    redirects=""
    for uri in ${OIDC_REDIRECT_URIS:-http://localhost:7007/api/auth/oidc/handler/frame}; do
      redirects="$redirects${redirects:+,}\"$uri\""
    done
    clients="[{\"clientId\":\"${OIDC_CLIENT_ID:-portal}\",\"clientSecret\":\"${OIDC_CLIENT_SECRET:-local-oidc-secret}\",\"redirectUris\":[$redirects]}]"
    node "$REPO_ROOT/packages/dev-kit/src/oidc/main.ts" "$OIDC_PORT" "$clients" "$PID_FILE" \
      "$RUN_DIR/oidc-provider-$OIDC_PORT.log"
    ;;
  stop) stop_pid "$PID_FILE" ;;
  status)
    if pid_alive "$PID_FILE"; then echo "running at http://127.0.0.1:$OIDC_PORT (pid $(cat "$PID_FILE"))"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
