#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# From a fresh Debian 12 machine: installs the dependencies, builds, and
# runs every test.
set -eu
cd "$(dirname "$0")/.."

tools/install-deps.sh
tools/build.sh
meson test -C build --print-errorlogs "$@"
