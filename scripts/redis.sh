#!/usr/bin/env bash
# A throwaway Redis on loopback: the shared cache of several backend replicas (tests, benchmarks,
# a local multi-replica portal). Installs Debian's redis-server when it is missing.
#   scripts/redis.sh start   # start (if not running), wait until it answers, print the URL
#   scripts/redis.sh stop    # stop the server this script started and delete its data
#   scripts/redis.sh status
# REDIS_PORT (default 6380). Data lives in memory only (no RDB/AOF): a cache, nothing to keep.
set -euo pipefail
source "$(dirname "$0")/env.sh"
REDIS_PORT="${REDIS_PORT:-6380}"
STATE_FILE="$RUN_DIR/redis-$REDIS_PORT.dir"
URL="redis://127.0.0.1:$REDIS_PORT"

ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
running() { [ -f "$STATE_FILE" ] && [ -f "$(cat "$STATE_FILE")/redis.pid" ] && kill -0 "$(cat "$(cat "$STATE_FILE")/redis.pid")" 2>/dev/null; }

case "${1:-}" in
  start)
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    if running && ping; then echo "$URL"; exit 0; fi
    dir=$(mktemp -d /tmp/portal-redis.XXXXXX)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --save '' --appendonly no \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes >/dev/null ||
      die "redis-server did not start; see $dir/redis.log"
    echo "$dir" >"$STATE_FILE"
    for _ in $(seq 1 50); do
      if ping; then echo "$URL"; exit 0; fi
      sleep 0.1
    done
    die "Redis did not answer on port $REDIS_PORT within 5 s; see $dir/redis.log"
    ;;
  stop)
    if [ -f "$STATE_FILE" ]; then
      dir=$(cat "$STATE_FILE")
      if [ -f "$dir/redis.pid" ]; then
        pid=$(cat "$dir/redis.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -rf "$dir" "$STATE_FILE"
    fi
    ;;
  status)
    if running && ping; then echo "running at $URL"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
