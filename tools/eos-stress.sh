#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs ROUNDS (default 5) rounds of 4 concurrent gst-launch-1.0 recordings
# of examples/meeting.ogg into symblsink against the local server, and
# counts those that never reached their EOS (killed after 30 s): the
# figures of docs/reliability.md (Every recording reaches EOS).
#   tools/eos-stress.sh [symblsink properties]   e.g. segment-duration=600
# Needs a build in ./build (tools/build.sh).
set -eu
cd "$(dirname "$0")/.."

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
while [ ! -s "$work/port" ]; do sleep 0.1; done
port=$(cat "$work/port")

hung=0
runs=0
for round in $(seq 1 "${ROUNDS:-5}"); do
  pids=
  for i in 1 2 3 4; do
    # shellcheck disable=SC2086
    GST_PLUGIN_PATH="$PWD/build/gst/symbl" timeout 30 gst-launch-1.0 -e \
      filesrc location=examples/meeting.ogg ! decodebin ! symblsink \
      api-url="http://127.0.0.1:$port" access-token=local-dev-token \
      spool-dir="$work" "$@" >"$work/log-$round-$i" 2>&1 &
    pids="$pids $!"
  done
  for pid in $pids; do
    runs=$((runs + 1))
    wait "$pid" || hung=$((hung + 1))
  done
done
echo "$hung of $runs recordings never reached EOS"
[ "$hung" -eq 0 ]
