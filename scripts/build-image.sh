#!/usr/bin/env bash
# Builds the portal's image from packages/backend/Dockerfile (Backstage's multi-stage build) with the
# repository root as context, where a Docker engine answers; otherwise says that the build was
# skipped and why, and exits 0 (a machine without Docker, such as this repository's CI sandbox).
#   scripts/build-image.sh [tag]          # default tag deployment-portal:local
# Ends with "image: N passed, N failed, N skipped"; writes "N M S" to $RESULTS_DIR/image.counts
# when RESULTS_DIR is set. BUILD_IMAGE_REQUIRED=1 turns a missing engine into a failure.
set -uo pipefail
source "$(dirname "$0")/env.sh"
tag="${1:-deployment-portal:local}"

report() {
  echo "image: $1 passed, $2 failed, ${3:-0} skipped"
  if [ -n "${RESULTS_DIR:-}" ]; then mkdir -p "$RESULTS_DIR" && echo "$1 $2 ${3:-0}" >"$RESULTS_DIR/image.counts"; fi
}

why=""
if ! command -v docker >/dev/null 2>&1; then
  why="the docker CLI is not installed"
elif ! reason=$(docker info --format '{{.ServerVersion}}' 2>&1); then
  why="no Docker engine answers ($(echo "$reason" | tail -n 1))"
fi
if [ -n "$why" ]; then
  echo "==> image build skipped: $why"
  if [ "${BUILD_IMAGE_REQUIRED:-0}" = 1 ]; then report 0 1; exit 1; fi
  [ -z "${RESULTS_DIR:-}" ] || echo "docker image build ($why)" >"$RESULTS_DIR/image.skipped"
  report 0 0 1
  exit 0
fi

start=$(date +%s)
echo "==> docker image build -f packages/backend/Dockerfile --tag $tag (context: $REPO_ROOT)"
if DOCKER_BUILDKIT=1 docker image build "$REPO_ROOT" -f "$REPO_ROOT/packages/backend/Dockerfile" --tag "$tag"; then
  echo "==> built $tag in $(($(date +%s) - start)) s"
  report 1 0
else
  echo "==> image build failed"
  report 0 1
  exit 1
fi
