# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org>
#
# Sourced by bench/run.sh and bench/live-env.sh, from the source root,
# with $build set: a release build in $build (the figures are about what
# users run), and symbl-bench beside it, both brought up to date, so that
# no figure comes from a stale plugin.
# shellcheck shell=sh disable=SC2154
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release
meson compile -C "$build"
mkdir -p "$build/bench"
# shellcheck disable=SC2046
cc -O2 -Wall -o "$build/bench/symbl-bench" bench/symbl-bench.c \
  $(pkg-config --cflags --libs gstreamer-1.0)
