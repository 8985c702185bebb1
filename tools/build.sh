#!/bin/sh
# Configures (once) and builds gst-symbl in ./build.
set -eu
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || meson setup build
meson compile -C build
