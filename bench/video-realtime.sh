#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# How fast symblsink encodes 720p video with its audio, as a multiple of
# real time, on this machine: non-live test sources, uploaded to the local
# server on loopback.
# Sources alone and symblsink alternate over ROUNDS rounds (default 3);
# medians are reported, since one run on a shared machine is noise.
#   bench/video-realtime.sh [seconds of video, default 60]
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-60}
rounds=${ROUNDS:-3}
frames=$((seconds * 30))
audio_buffers=$((seconds * 10))
build=$(realpath "${BUILD_DIR:-build}")
export GST_PLUGIN_PATH="$build/gst/symbl"

work=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT INT TERM
"$build/server/symbl-local-server" --quiet --port-file "$work/port" \
  --store-dir "$work" >/dev/null &
server=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
props="api-url=http://127.0.0.1:$(cat "$work/port") access-token=local-dev-token spool-dir=$work"

now() { date +%s.%N; }

# CPU seconds (user and system) of the shell's finished children, from
# the output of times (which must run in this shell, not in a subshell).
cpu_of() {
  tail -n 1 "$1" | tr 'ms' '  ' | awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }'
}

# Prints the wall and CPU time of a gst-launch-1.0 pipeline. The CPU time
# counts what all its threads did: on 2 cores, sources and encoder overlap,
# so wall time alone cannot tell the encoder's share.
run() {
  times >"$work/cpu-before"
  start=$(now)
  gst-launch-1.0 -q "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  end=$(now)
  times >"$work/cpu-after"
  echo "$end $start $(cpu_of "$work/cpu-after") $(cpu_of "$work/cpu-before")" |
    awk '{ printf "%.2f %.2f", $1 - $2, $3 - $4 }'
}

video() {
  echo "videotestsrc pattern=$1 num-buffers=$frames !" \
    "video/x-raw,width=1280,height=720,framerate=30/1"
}
audio="audiotestsrc wave=pink-noise samplesperbuffer=1600 num-buffers=$audio_buffers ! audio/x-raw,rate=16000,channels=1"

printf '%s s of 1280x720 at 30 fps with 16 kHz audio, %s cores, median of %s\n' \
  "$seconds" "$(nproc)" "$rounds"
# "sources": the test sources alone into fakesink, CPU seconds;
# "symblsink": the same sources recorded, encoded and uploaded, wall and CPU
# seconds; "x real time": the whole pipeline's speed; "per core": real time
# over symblsink's own CPU seconds (symblsink's CPU less the sources'), the
# multiple of real time one core encodes.
printf '%-7s %9s %15s %12s %9s %7s\n' pattern "sources" \
  "symblsink" "x real time" "per core" "MB/min"
printf '%-7s %9s %15s\n' "" "CPU (s)" "wall/CPU (s)"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { cut -d' ' -f"$1" "$2" | median; }

for pattern in ball smpte snow; do
  : >"$work/sources"
  : >"$work/total"
  round=0
  while [ "$round" -lt "$rounds" ]; do
    # shellcheck disable=SC2046
    run $(video $pattern) ! fakesink $audio ! fakesink >>"$work/sources"
    echo >>"$work/sources"
    # shellcheck disable=SC2046
    run $(video $pattern) ! symblsink name=s keep-spool=true $props \
      $audio ! s. >>"$work/total"
    echo >>"$work/total"
    size=$(cat "$work"/symbl-*.mp4 | wc -c | awk '{ print $1 / 1e6 }')
    rm -f "$work"/symbl-*.mp4
    round=$((round + 1))
  done
  echo "$pattern $(column 2 "$work/sources") $(column 1 "$work/total")" \
    "$(column 2 "$work/total") $seconds $size" | awk '{
    printf "%-7s %9.2f %7.2f/%7.2f %12.1f %9.1f %7.1f\n",
      $1, $2, $3, $4, $5 / $3, $5 / ($4 - $2), $6 / ($5 / 60) }'
done
