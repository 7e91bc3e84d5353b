#!/usr/bin/env bash
# The local AWS: moto with our ECS emulator layer (emulator/server.py) on loopback. It serves
# moto's API and /moto-api/* and adds ECS's scheduler: rollouts, tasks, circuit breaker, task logs.
#   scripts/emulator.sh start   # starts it (if not running), waits until it answers, prints the endpoint
#   scripts/emulator.sh stop    # stops the server this script started (by its PID file), nothing else
#   scripts/emulator.sh status
#   scripts/emulator.sh reset   # forgets every resource (POST /moto-api/reset)
# EMULATOR_PORT (default 4566) picks the port; the endpoint is http://127.0.0.1:$EMULATOR_PORT.
# ECS_EMULATOR_ROLLOUT_SECONDS (default 4) and the other settings in emulator/README.md apply;
# EMULATOR_PYTHON (default python3) is the Python that has moto 5.1-5.2 installed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
EMULATOR_PORT="${EMULATOR_PORT:-4566}"
PID_FILE="$RUN_DIR/emulator-$EMULATOR_PORT.pid"
LOG_FILE="$RUN_DIR/emulator-$EMULATOR_PORT.log"
ENDPOINT="http://127.0.0.1:$EMULATOR_PORT"
PYTHON="${EMULATOR_PYTHON:-python3}"
SERVER="$REPO_ROOT/emulator/server.py"

ready() { curl -sf -o /dev/null "$ENDPOINT/_emulator/health"; }
running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running && ready; then echo "$ENDPOINT"; exit 0; fi
    need curl "Install it with: apt-get install curl."
    # Names a missing Python, one older than 3.10, or a missing or unsupported moto in one line.
    check_emulator_python
    # The emulator binds loopback only; it is never reachable from another host.
    nohup "$PYTHON" "$SERVER" -H 127.0.0.1 -p "$EMULATOR_PORT" >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 100); do
      if ready; then echo "$ENDPOINT"; exit 0; fi
      running || die "the emulator exited at start; see $LOG_FILE"
      sleep 0.2
    done
    die "the emulator did not answer on $ENDPOINT within 20 s; see $LOG_FILE"
    ;;
  stop)
    if running; then
      kill "$(cat "$PID_FILE")" 2>/dev/null || true
      for _ in $(seq 1 50); do running || break; sleep 0.1; done
      running && kill -9 "$(cat "$PID_FILE")" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running && ready; then echo "running at $ENDPOINT (pid $(cat "$PID_FILE"))"; else echo "not running"; exit 1; fi
    ;;
  reset)
    curl -sf -X POST "$ENDPOINT/moto-api/reset" >/dev/null || die "no emulator answers on $ENDPOINT"
    ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
