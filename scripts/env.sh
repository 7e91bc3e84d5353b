# shellcheck shell=bash
# Sourced by every script: puts the repository's Node 22 and Yarn on PATH and sets the
# environment that installs and native builds need on a machine without internet. Runs on
# Linux and macOS, x64 and arm64 (bash 3.2 and later).
# Usage: source scripts/env.sh
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_MAJOR_WANTED=22

die() { echo "error: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed or not on PATH. $2"; }

# node_package OS ARCH: the npm package with Node's binaries for `uname -s` `uname -m`.
node_package() {
  local os arch
  case "$1" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "error: no Node.js package for the operating system '$1': the portal's scripts run on Linux and macOS" >&2; return 1 ;;
  esac
  case "$2" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "error: no Node.js package for the processor '$2': the portal's scripts run on x64 and arm64" >&2; return 1 ;;
  esac
  echo "node-$os-$arch"
}
NODE_PACKAGE="$(node_package "$(uname -s)" "$(uname -m)")" || exit 1
# NODE_HOME: a Node 22 of your own (its prefix, with bin/node), else the one bootstrap.sh installs.
if [ -z "${NODE_HOME:-}" ] || [ ! -x "$NODE_HOME/bin/node" ]; then
  NODE_HOME="$TOOLS_DIR/node22/node_modules/$NODE_PACKAGE"
fi
export NODE_PACKAGE NODE_HOME
export PATH="$TOOLS_DIR/bin:$PATH"
# node-gyp must build native modules (better-sqlite3) against Node 22's own headers.
export npm_config_nodedir="$NODE_HOME"
# The registry's TLS chain needs the system CA bundle.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
export RUN_DIR="$REPO_ROOT/.run"
mkdir -p "$RUN_DIR"

# The Python that runs the local AWS emulator (moto with our ECS layer): EMULATOR_PYTHON (a
# venv's, say), else python3. A relative path is taken from where the script was started.
EMULATOR_PYTHON="${EMULATOR_PYTHON:-python3}"
case "$EMULATOR_PYTHON" in
  /*) ;;
  */*) EMULATOR_PYTHON="$PWD/$EMULATOR_PYTHON" ;;
esac
export EMULATOR_PYTHON
MOTO_IN_A_VENV="install moto in a venv: python3 -m venv .venv && .venv/bin/pip install 'moto[server]>=5.1,<5.3', then run with EMULATOR_PYTHON=.venv/bin/python"
# check_emulator_python: dies with one line naming what the emulator's Python lacks.
check_emulator_python() {
  command -v "$EMULATOR_PYTHON" >/dev/null 2>&1 ||
    die "'$EMULATOR_PYTHON' not found: the local AWS emulator needs Python >= 3.10 (moto 5.2 does); $MOTO_IN_A_VENV"
  "$EMULATOR_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    die "$EMULATOR_PYTHON is Python $("$EMULATOR_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])'): the local AWS emulator needs Python >= 3.10 (moto 5.2 does); install a newer Python (macOS: brew install python@3.12), then $MOTO_IN_A_VENV"
  "$EMULATOR_PYTHON" "$REPO_ROOT/emulator/server.py" --check ||
    die "the local AWS emulator cannot run with $EMULATOR_PYTHON (see the line above); or $MOTO_IN_A_VENV"
}

# apt_install PACKAGE...: installs Debian packages (as root or through sudo); elsewhere, names them.
apt_install() {
  command -v apt-get >/dev/null 2>&1 ||
    die "$* missing, and this is no Debian system (no apt-get): install $* yourself (macOS: brew install $*)"
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "==> installing $* from Debian (apt-get)" >&2
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@"; } >/dev/null 2>&1 ||
    die "apt-get could not install $*; install them with: apt-get install $*"
}

# detached CMD...: runs CMD in a process group of its own and waits for it, so that a Ctrl-C in
# the terminal does not reach what it leaves running (setsid -w, or bash's job control where
# there is no setsid, as on macOS).
detached() {
  if command -v setsid >/dev/null 2>&1; then
    setsid -w "$@"
  else
    (
      set -m
      "$@" &
      wait $!
    )
  fi
}

# pid_alive FILE: the process a pid file names is running.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# stop_pid FILE: stops the process a pid file names (SIGTERM, then up to 5 s) and removes the file.
stop_pid() {
  if pid_alive "$1"; then
    local pid
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$1"
}
