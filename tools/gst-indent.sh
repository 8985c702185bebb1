#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Formats C files in GStreamer's style (GNU indent with gst-indent's
# options). Needs the Debian package "indent".
#   tools/gst-indent.sh            every C file of the project
#   tools/gst-indent.sh FILE...    just these
set -eu
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || set -- $(git ls-files '*.c')
for file in "$@"; do
  indent \
    --braces-on-if-line \
    --case-brace-indentation0 \
    --case-indentation2 \
    --braces-after-struct-decl-line \
    --line-length80 \
    --no-tabs \
    --cuddle-else \
    --dont-line-up-parentheses \
    --continuation-indentation4 \
    --honour-newlines \
    --tab-size8 \
    --indent-level2 \
    --leave-preprocessor-space \
    "$file"
  rm -f "$file~"
done
