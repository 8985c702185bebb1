#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org>
#
# Row 8's harness for any two sinks: what A costs against B. Each side
# records STREAMS live streams of MS ms buffers for SECONDS s in one
# process (symbl-bench live), alternating over ROUNDS rounds; the figure is
# the process's CPU time once every stream is past its first second, and
# the ratio of the medians. {w} in a sink is a scratch directory. It
# builds build-bench/ (or $BUILD_DIR) first.
#   bench/live-ab.sh "identity ! wavenc ! filesink location={w}/a-{i}.wav" \
#     "wavenc ! filesink location={w}/b-{i}.wav"       about 2 minutes
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/live-ab.sh SINK-A SINK-B" >&2; exit 2; }
build=$(realpath "${BUILD_DIR:-build-bench}")
ms=${MS:-64} rounds=${ROUNDS:-3} seconds=${SECONDS_EACH:-20}
streams=${STREAMS:-50}
. bench/live-env.sh
mkdir "$work/spool"

# steady_cpu SINK: one run's CPU seconds after the first second.
steady_cpu() {
  sink=$(printf '%s' "$1" | sed "s|{w}|$work/spool|g")
  # shellcheck disable=SC2086
  "$build/bench/symbl-bench" live --buffer-ms "$ms" "$streams" "$seconds" \
    5000 $sink | tr ' ' '\n' | sed -n 's/^steady_cpu_s=//p'
  rm -rf "${work:?}"/spool/*
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {
  print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

a="" b=""
for _ in $(seq "$rounds"); do
  a="$a $(steady_cpu "$1")"
  b="$b $(steady_cpu "$2")"
done
echo "A (s):$a"
echo "B (s):$b"
ma=$(echo "$a" | median) mb=$(echo "$b" | median)
printf "A / B, medians: %.3f\n" "$(echo "$ma / $mb" | bc -l)"
