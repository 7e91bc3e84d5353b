#!/usr/bin/env bash
# Install test: packs our five packages (common, node, backend, scaffolder module, frontend), installs them into a fresh app made by the pinned
# @backstage/create-app (legacy frontend system) under .run/install-test/ by the READMEs' install
# steps alone, runs its backend against the emulator (status, promote, scaffolder dry-run) and its
# frontend in Chromium (entity card, org page), and the node README's example extension module
# (its gate blocks promoting a :latest image into prod). Details: scripts/test-install.mjs; how the READMEs
# mark their steps: scripts/install-test/readme-steps.mjs. Needs the npm registry (create-app and
# the app's dependencies), terraform, PostgreSQL's server binaries and /usr/bin/chromium.
# Ends with "install: N passed, N failed" and writes $RESULTS_DIR/install.counts.
# Builds and packs plugins/*: not to run next to another build of them (yarn build:backend).
set -euo pipefail
source "$(dirname "$0")/env.sh"
exec node "$REPO_ROOT/scripts/test-install.mjs" "$@"
