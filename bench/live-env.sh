# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org>
#
# Sourced by bench/live-*.sh, with $build (a build directory) set: that
# build brought up to date (bench/compile.sh), its local server, bodies
# discarded (tools/local-server.sh: $work, $port), and GStreamer pointed at
# its plugin.
# shellcheck shell=sh disable=SC2154
. bench/compile.sh >/dev/null
LOCAL_SERVER_BUILD=$build LOCAL_SERVER_ARGS=--discard-bodies \
  . tools/local-server.sh
export GST_PLUGIN_PATH="$build/gst/symbl" \
  GST_REGISTRY="$build/bench-registry.bin" \
  SYMBL_API_URL="http://127.0.0.1:$port" \
  SYMBL_ACCESS_TOKEN=local-dev-token
gst-inspect-1.0 symblsink >/dev/null
