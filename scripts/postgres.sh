#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for tests that need a real one.
#   scripts/postgres.sh start   # initdb in a temp dir (as an unprivileged user), start, print the URL
#   scripts/postgres.sh stop    # stop it and delete its data
# PG_PORT (default 5433). initdb refuses to run as root, so as root it runs as $PG_USER (default
# nobody); the data directory lives in a fresh temporary directory owned by that user.
set -euo pipefail
source "$(dirname "$0")/env.sh"
PG_PORT="${PG_PORT:-5433}"
PG_USER="${PG_USER:-nobody}"
STATE_FILE="$RUN_DIR/postgres-$PG_PORT.dir"
URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"

as_pg() {
  if [ "$(id -u)" != 0 ]; then "$@"
  elif command -v runuser >/dev/null 2>&1; then runuser -u "$PG_USER" -- "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -u "$PG_USER" -- "$@"
  else die "initdb refuses to run as root and neither runuser nor sudo is here: run this as another user"
  fi
}
# On PATH, else Debian's /usr/lib/postgresql/<version>/bin or Homebrew's keg-only postgresql@<version>.
find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  ls /usr/lib/postgresql/*/bin/"$name" /opt/homebrew/opt/postgresql@*/bin/"$name" \
    /usr/local/opt/postgresql@*/bin/"$name" 2>/dev/null | sort -V | tail -n 1
}

case "${1:-}" in
  start)
    INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
    [ -n "$INITDB" ] && [ -n "$PG_CTL" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them with: apt-get install postgresql (macOS: brew install postgresql@15)"
    if [ -f "$STATE_FILE" ] && as_pg "$PG_CTL" -D "$(cat "$STATE_FILE")/data" status >/dev/null 2>&1; then
      echo "$URL"; exit 0
    fi
    dir=$(mktemp -d /tmp/portal-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown "$PG_USER" "$dir"
    as_pg "$INITDB" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || die "initdb failed; see $dir/initdb.log"
    as_pg "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-h 127.0.0.1 -p $PG_PORT -k $dir -c max_connections=200 -c fsync=off" start >/dev/null \
      || die "PostgreSQL did not start; see $dir/server.log"
    echo "$dir" >"$STATE_FILE"
    echo "$URL"
    ;;
  stop)
    if [ -f "$STATE_FILE" ]; then
      dir=$(cat "$STATE_FILE")
      PG_CTL=$(find_bin pg_ctl)
      as_pg "$PG_CTL" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$dir" "$STATE_FILE"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
