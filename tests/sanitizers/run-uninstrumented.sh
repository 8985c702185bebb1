#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs PROGRAM, a system program that is not built with AddressSanitizer
# but loads our plugin, which is: the ASan runtime must come first in it,
# so it is preloaded, with libstdc++ (ASan finds __cxa_throw only if it is
# loaded at start-up, and libproxy, GIO's proxy resolver, throws). The
# program is not ours: no leak check in it; our plugin's leaks are checked
# in the test programs. The 'sanitize' test setup (tests/meson.build) sets
# SYMBL_ASAN_PRELOAD and puts bin/, whose scripts call this, first in PATH.
#   run-uninstrumented.sh PROGRAM [ARGUMENT...]
program=$1
shift
LD_PRELOAD="$SYMBL_ASAN_PRELOAD${LD_PRELOAD:+ $LD_PRELOAD}" \
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$program" "$@"
