# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by tools/quickstart.sh and tools/eos-stress.sh, from the source
# root, after the build: starts build/server/symbl-local-server on
# loopback with its store in a new temporary directory, $work, and sets
# $port. On exit the server is stopped and $work removed.
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

build/server/symbl-local-server --quiet --port-file "$work/port" \
  --store-dir "$work" >/dev/null &
server_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || { echo "the local server did not start" >&2; exit 1; }
  sleep 0.1
done
port=$(cat "$work/port")
