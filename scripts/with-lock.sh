#!/usr/bin/env bash
# Runs a command while holding a lock file, so that two runs of it never overlap (two journeys'
# Terraform applies against one emulator, say).
#   scripts/with-lock.sh <lock file> <command> [args...]
# flock(1) where there is one (Linux); elsewhere (macOS) an atomic mkdir of <lock file>.d, with
# the holder's pid inside: a lock whose holder is gone is taken over. Gives up after
# WITH_LOCK_TIMEOUT seconds (default 900).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 <lock file> <command> [args...]" >&2; exit 2; }
lock=$1; shift
if command -v flock >/dev/null 2>&1; then
  exec flock -w "${WITH_LOCK_TIMEOUT:-900}" "$lock" "$@"
fi
dir="$lock.d"
deadline=$(( $(date +%s) + ${WITH_LOCK_TIMEOUT:-900} ))
until mkdir "$dir" 2>/dev/null; do
  holder=$(cat "$dir/pid" 2>/dev/null || true)
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
    rm -rf "$dir" # its holder is gone
    continue
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { echo "error: $lock is still held by pid ${holder:-?}" >&2; exit 1; }
  sleep 0.5
done
echo $$ >"$dir/pid"
trap 'rm -rf "$dir"' EXIT
"$@"
