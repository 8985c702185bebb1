#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# From a fresh Debian 12 machine: installs the dependencies, builds, starts
# the bundled Symbl-compatible server on loopback, uploads a short spoken
# meeting with the example trackers through symblsink, and prints the ids.
set -eu
cd "$(dirname "$0")/.."

tools/install-deps.sh
tools/build.sh

. tools/local-server.sh

echo "Uploading examples/meeting.ogg to the local Symbl server on port $port..."
GST_PLUGIN_PATH="$PWD/build/gst/symbl" gst-launch-1.0 -m -e \
  filesrc location=examples/meeting.ogg ! decodebin ! symblsink \
  api-url="http://127.0.0.1:$port" access-token=local-dev-token \
  trackers-location=examples/trackers.json >"$work/log" 2>&1 || {
  cat "$work/log" >&2
  exit 1
}
sed -n 's/.*symbl-job, conversation-id=(string)\([^,]*\), job-id=(string)\([^,;]*\).*/conversation-id: \1\njob-id:          \2/p' "$work/log"
grep -q 'symbl-job' "$work/log" || { cat "$work/log" >&2; exit 1; }
