#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds gst-symbl with AddressSanitizer and UndefinedBehaviorSanitizer in a
# build directory of its own and runs every test there; leaks fail the test
# (docs/hardening.md). Installs what it needs, as tools/install-deps.sh.
#   tools/sanitize.sh [meson test arguments]
# SANITIZE_BUILD_DIR chooses the build directory (default build/sanitize).
set -eu
cd "$(dirname "$0")/.."
builddir=${SANITIZE_BUILD_DIR:-build/sanitize}

# gcc brings libasan and libubsan with it.
tools/install-deps.sh

[ -f "$builddir/build.ninja" ] ||
  meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C "$builddir"
# The 'sanitize' test setup (tests/meson.build) is the default there.
meson test -C "$builddir" --print-errorlogs "$@"
