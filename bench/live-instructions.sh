#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org>
#
# Row 8 of docs/performance.md without the noise of a shared machine: the
# user-space instructions (valgrind's callgrind) that 4 live recordings
# take per second of audio, symblsink against the bare pipeline, for each
# of row 8's variants. Each is run for 2 and for 6 s of audio and the
# difference taken, so that start-up (plugin loading, spool files) cancels
# out. It builds build-bench/ (or $BUILD_DIR) first.
#   bench/live-instructions.sh      about 5 minutes
set -eu
cd "$(dirname "$0")/.."
build=$(realpath "${BUILD_DIR:-build-bench}")
if ! command -v valgrind >/dev/null || ! command -v bc >/dev/null; then
  tools/install-deps.sh valgrind bc
fi
. bench/live-env.sh

# instructions MS PARTIES SECONDS SINK...
instructions() {
  ms=$1 parties=$2 seconds=$3
  shift 3
  valgrind --tool=callgrind --callgrind-out-file="$work/out" \
    "$build/bench/symbl-bench" live --buffer-ms "$ms" --parties "$parties" \
    4 "$seconds" 5000 "$@" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

printf '%-28s %12s %12s %7s\n' "4 live recordings, 4 s" symblsink bare ratio
for variant in "10 1" "64 1" "10 2"; do
  # shellcheck disable=SC2086
  set -- $variant
  if [ "$2" = 1 ]; then
    bare="wavenc ! filesink location=$work/bare-{i}.wav"
    what="streams, $1 ms buffers"
  else
    bare="audiointerleave name=s ! wavenc ! filesink location=$work/bare-{i}.wav"
    what="two-party calls, $1 ms"
  fi
  sink="symblsink name=s format=wav spool-dir=$work"
  # shellcheck disable=SC2086
  a=$(($(instructions "$1" "$2" 6 $sink) - $(instructions "$1" "$2" 2 $sink)))
  # shellcheck disable=SC2086
  b=$(($(instructions "$1" "$2" 6 $bare) - $(instructions "$1" "$2" 2 $bare)))
  printf '%-28s %11.1fM %11.1fM %7s\n' "$what" "$(echo "$a / 1000000" | bc -l)" \
    "$(echo "$b / 1000000" | bc -l)" "$(echo "scale=3; $a / $b" | bc -l)"
done
