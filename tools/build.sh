#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures (once) and builds gst-symbl in ./build.
set -eu
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || meson setup build
meson compile -C build
