#!/usr/bin/env bash
# A local LDAP directory: OpenLDAP's slapd, seeded with the demo organisation of
# catalog/demo/org.yaml (alice, bob, carol, dave; team-payments, team-search, platform), run as
# our own process on loopback with its configuration and data under .run/directory-<port>.
# Installs Debian's slapd and ldap-utils when they are missing. What `scripts/start.sh
# --directory` and the production test read users and groups from.
#   scripts/directory.sh install # installs slapd and ldap-utils when missing (Debian's apt-get)
#   scripts/directory.sh start   # a fresh seeded directory (if not running); prints its URL
#   scripts/directory.sh stop    # stops the slapd this script started (by its pid file)
#   scripts/directory.sh status
# DIRECTORY_PORT (default 10389). Bind as cn=admin,dc=example,dc=com with password
# admin-password; people under ou=people, groups under ou=groups. A change, e.g. moving carol
# to team-payments, is an ldapmodify away (see the README, "Users and groups from a directory").
set -euo pipefail
source "$(dirname "$0")/env.sh"
DIRECTORY_PORT="${DIRECTORY_PORT:-10389}"
DIR="$RUN_DIR/directory-$DIRECTORY_PORT"
PID_FILE="$DIR/slapd.pid"
URL="ldap://127.0.0.1:$DIRECTORY_PORT"

installed() { command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || [ -n "${SLAPD:-}" ]; }

install() {
  installed && return 0
  # No server configuration of Debian's own (and no system service): ours runs from .run/.
  if command -v debconf-set-selections >/dev/null 2>&1; then
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "slapd slapd/no_configuration boolean true" | $sudo_cmd debconf-set-selections
  fi
  apt_install slapd ldap-utils
}

case "${1:-}" in
  install) install ;;
  start)
    if pid_alive "$PID_FILE"; then echo "$URL"; exit 0; fi
    install
    need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."
    node "$REPO_ROOT/packages/dev-kit/src/directory/main.ts" "$DIRECTORY_PORT" "$DIR"
    ;;
  stop) stop_pid "$PID_FILE" ;;
  status)
    if pid_alive "$PID_FILE"; then echo "running at $URL (pid $(cat "$PID_FILE"), data in $DIR)"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
