#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs everything gst-symbl needs to build, test and run, on Debian 12,
# and the packages named as arguments (what one script needs beyond that).
#   tools/install-deps.sh [PACKAGE...]
set -eu

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
  --no-install-recommends \
  ca-certificates gcc libc6-dev pkg-config meson ninja-build \
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev \
  libsoup-3.0-dev libjson-glib-dev glib-networking \
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
  gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-libav \
  python3-gi gir1.2-gstreamer-1.0 \
  gstreamer1.0-plugins-base-apps "$@"
