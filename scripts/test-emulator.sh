#!/usr/bin/env bash
# Tests of the ECS emulator layer (emulator/): node --test over HTTP with the AWS SDK, each test
# file against its own emulator on a free loopback port with a 1 s rollout.
#   scripts/test-emulator.sh
# Ends with "emulator: N passed, M failed, S skipped"; writes "N M S" to
# $RESULTS_DIR/emulator.counts and the skipped tests' names to $RESULTS_DIR/emulator.skipped when
# RESULTS_DIR is set. A test file that fails outside any test (its tests cancelled) counts as failed.
# Exit code 0 only when nothing failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
need node "Run scripts/bootstrap.sh to install Node 22 into .tools/."
PYTHON="${EMULATOR_PYTHON:-python3}"
need "$PYTHON" "Install Python 3 with moto[server] 5.1-5.2 (pip install 'moto[server]>=5.1,<5.3')."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-emulator.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
START=$(date +%s)
PASSED=0
FAILED=0
SKIPPED=0

if ! "$PYTHON" "$REPO_ROOT/emulator/server.py" --check; then
  FAILED=1
  echo "  FAIL  the emulator cannot start (see the line above)"
else
  echo "==> node --test emulator/test"
  # Files one after another: the rollouts are timed, and the machine is shared.
  PYTHONDONTWRITEBYTECODE=1 node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$WORK/node.tap" \
    "$REPO_ROOT"/emulator/test/*.test.mjs 2>&1 | sed 's/^/    /'
  status=${PIPESTATUS[0]}
  if ! counts=$(node "$REPO_ROOT/scripts/tap-counts.mjs" "$WORK/node.tap" "$WORK/skipped" "$WORK/failed"); then
    FAILED=1
    echo "  FAIL  the node tests did not run (see the output above)"
  else
    read -r PASSED FAILED SKIPPED <<<"$counts"
    if [ "$status" -ne 0 ] && [ "$FAILED" -eq 0 ]; then
      FAILED=1
      echo "  FAIL  node --test exited $status with no failed test (see the output above)"
    fi
  fi
fi

echo "==> total runtime $(($(date +%s) - START)) s"
echo "emulator: $PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ -n "${RESULTS_DIR:-}" ]; then
  mkdir -p "$RESULTS_DIR" && echo "$PASSED $FAILED $SKIPPED" >"$RESULTS_DIR/emulator.counts"
  cp "$WORK/skipped" "$RESULTS_DIR/emulator.skipped" 2>/dev/null || true
  cp "$WORK/failed" "$RESULTS_DIR/emulator.failures" 2>/dev/null || true
fi
[ "$FAILED" -eq 0 ]
