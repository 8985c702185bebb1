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

. tools/local-server.sh

hung=0
runs=0
for round in $(seq 1 "${ROUNDS:-5}"); do
  pids=
  for i in 1 2 3 4; do
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
