#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The performance benchmark of docs/performance.md, in one command:
#   bench/run.sh           every figure, about 70 minutes on 2 cores
#   bench/run.sh --smoke   the same code paths in under a minute (CI): fails
#                          only if something broke, not on a missed target
#   bench/run.sh --only uplink   row 7 alone, as root: about 20 minutes
#   bench/run.sh --only live-cpu   row 8 alone: live CPU against the bare
#                          pipeline (50 streams, 10 and 64 ms buffers, and
#                          50 two-party calls), about 20 minutes
# Installs what is missing (apt-get, through sudo when not root), builds in
# ./build-bench (or $BUILD_DIR), starts the local server and prints a table.
# As root, rows 5 (a 10 Gbit/s link) and 7 (20 and 100 Mbit/s uplinks) run
# in a network namespace of their own (unshare -n) whose loopback tc shapes;
# the machine's loopback is never touched. Without root, tc, ip, unshare
# or a namespace to shape (a container may refuse one) they are skipped,
# and say so; --smoke runs them tiny.
# ROUNDS (3), UPLINK_ROUNDS (1), LIVE_SECONDS (60), LIVE_CPU_STREAMS (100),
# LIVE_CPU_N (50, row 8), LATE_MS (200) and BENCH_DATA (where the generated
# audio is kept) change what is measured.
set -eu
cd "$(dirname "$0")/.."

missing() {
  for tool in meson ninja cc pkg-config gst-launch-1.0 gst-inspect-1.0 curl \
    tc /usr/bin/python3; do
    command -v "$tool" >/dev/null 2>&1 || return 0
  done
  for element in wavparse wavenc flacenc lamemp3enc opusenc oggmux \
    audioconvert audioresample decodebin; do
    gst-inspect-1.0 --exists "$element" || return 0
  done
  return 1
}

if missing; then
  tools/install-deps.sh curl iproute2 python3
fi

build=${BUILD_DIR:-build-bench}
. bench/compile.sh

exec /usr/bin/python3 bench/bench.py --build "$build" "$@"
