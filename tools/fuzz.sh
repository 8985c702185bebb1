#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libFuzzer targets (tests/fuzz) with clang in a build directory
# of their own and runs each for a bounded time (docs/hardening.md).
# Installs what it needs through tools/install-deps.sh.
#   tools/fuzz.sh [seconds per target, default 60]
# FUZZ_BUILD_DIR chooses the build directory (default build/fuzz);
# FUZZ_TARGETS the targets (default: all, "trackers reply values"). What a
# run finds is kept in $FUZZ_BUILD_DIR/corpus for the next; a crashing input
# is written to $FUZZ_BUILD_DIR/artifacts: once fixed, add it to
# tests/fuzz/corpus/TARGET/.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
builddir=${FUZZ_BUILD_DIR:-build/fuzz}
targets=${FUZZ_TARGETS:-"trackers reply values"}

# libclang-rt-14-dev holds libFuzzer and clang's sanitizer runtimes.
tools/install-deps.sh clang libclang-rt-14-dev

[ -f "$builddir/build.ninja" ] ||
  CC=clang meson setup "$builddir" -Dfuzzing=enabled
for target in $targets; do
  meson compile -C "$builddir" "fuzz-$target"
done

export ASAN_OPTIONS=detect_leaks=1:intercept_tls_get_addr=0
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$builddir/artifacts"
for target in $targets; do
  mkdir -p "$builddir/corpus/$target"
  echo "fuzz-$target: $seconds s"
  "$builddir/tests/fuzz/fuzz-$target" -max_total_time="$seconds" \
    -max_len=4096 -timeout=10 -dict=tests/fuzz/json.dict \
    -artifact_prefix="$builddir/artifacts/$target-" -print_final_stats=1 \
    "$builddir/corpus/$target" "tests/fuzz/corpus/$target"
done
