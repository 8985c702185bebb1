# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by tools/quickstart.sh, tools/eos-stress.sh and bench/live-env.sh,
# from the source root, after the build: starts the local server of
# $LOCAL_SERVER_BUILD (default build) on loopback with its store in a new
# temporary directory, $work, and sets $port. $LOCAL_SERVER_ARGS are added
# to its options. On exit the server is stopped and $work removed.
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# shellcheck disable=SC2086 # the options are words
"${LOCAL_SERVER_BUILD:-build}/server/symbl-local-server" --quiet \
  --port-file "$work/port" --store-dir "$work" ${LOCAL_SERVER_ARGS:-} \
  >/dev/null &
server_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || { echo "the local server did not start" >&2; exit 1; }
  sleep 0.1
done
port=$(cat "$work/port")
