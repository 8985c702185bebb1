#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Rewrites the generated part of docs/elements/*.md (factory details, pad
# templates, properties) from the plugin built in BUILD-DIR (default:
# build). Run it after changing any of those, and commit the pages.
#   tools/update-element-docs.sh [BUILD-DIR]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}

meson compile -C "$build" gstsymbl gen-element-docs >/dev/null
for page in docs/elements/*.md; do
  "$build/tools/gen-element-docs" "$build/gst/symbl/libgstsymbl.so" \
    "$(basename "$page" .md)" "$page" "$page"
done
