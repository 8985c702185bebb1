#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the tests under valgrind's memcheck with the 'valgrind' test setup
# (tests/meson.build): no definite leak, no invalid access. The hour-long
# test (suite 'slow') is left out (docs/hardening.md). Installs what it
# needs through tools/install-deps.sh.
#   tools/valgrind.sh [meson test arguments]
# VALGRIND_BUILD_DIR chooses the build directory (default build, the one
# tools/test.sh uses: valgrind needs no special build).
set -eu
cd "$(dirname "$0")/.."
builddir=${VALGRIND_BUILD_DIR:-build}

# Debian's valgrind depends on libc6-dbg, which valgrind.supp relies on.
tools/install-deps.sh valgrind

[ -f "$builddir/build.ninja" ] || meson setup "$builddir"
meson compile -C "$builddir"
meson test -C "$builddir" --setup valgrind --print-errorlogs "$@"
