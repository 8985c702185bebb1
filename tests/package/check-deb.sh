#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the Debian package gstreamer1.0-symbl with dpkg-buildpackage (its
# test suite included) from a copy of the tree, so that the build leaves
# nothing behind; checks what the package holds; unpacks it into a clean
# root, where gst-inspect-1.0 must find both elements with no
# GST_PLUGIN_PATH and the packaged server must take an upload. Slow: CI
# runs it on its own, not in `meson test`. Installs what it needs.
#   tests/package/check-deb.sh
set -eu
cd "$(dirname "$0")/../.."
src=$PWD
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends build-essential debhelper dpkg-dev >/dev/null
# Build-Depends, read from debian/control itself.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q \
  --no-install-recommends "$src" >/dev/null

# The tree as git sees it (tracked and new files, not build directories),
# or all of it but build directories outside a git checkout.
mkdir "$work/gst-symbl"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null
else
  tar --exclude=./.git --exclude=./build --exclude='./obj-*' -cf - .
fi | tar -xf - -C "$work/gst-symbl"

echo "dpkg-buildpackage -us -uc -b (log: build.log on failure)..."
(cd "$work/gst-symbl" && dpkg-buildpackage -us -uc -b) >"$work/build.log" \
  2>&1 || {
  tail -n 400 "$work/build.log" >&2
  fail "dpkg-buildpackage"
}
deb=$(ls "$work"/gstreamer1.0-symbl_*.deb)
echo "built $(basename "$deb")"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
plugin=usr/lib/$multiarch/gstreamer-1.0/libgstsymbl.so
dpkg-deb -c "$deb" >"$work/contents"
for file in "$plugin" usr/bin/symbl-local-server usr/bin/symbl-outbox; do
  grep -q " \./$file\$" "$work/contents" ||
    fail "$file is not in the package: $(cat "$work/contents")"
done
dpkg-deb -f "$deb" Depends | grep -q glib-networking ||
  fail "the package does not depend on glib-networking (TLS)"

# Installed into a clean root: GStreamer finds it through its system path.
dpkg -x "$deb" "$work/root"
plugins="$work/root/$(dirname "$plugin")"
out=$(env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
  GST_PLUGIN_SYSTEM_PATH_1_0="$plugins" GST_REGISTRY="$work/registry" \
  gst-inspect-1.0 symbl 2>&1) || fail "gst-inspect-1.0 symbl: $out"
for element in symblsink symbluploadsink; do
  echo "$out" | grep -q "^  $element: " ||
    fail "gst-inspect-1.0 does not list $element: $out"
done

# And it works: the packaged server takes an upload from the packaged
# plugin (the system's own plugins decode and encode).
"$work/root/usr/bin/symbl-local-server" --quiet --port-file "$work/port" \
  >/dev/null &
server_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || fail "the packaged symbl-local-server did not start"
  sleep 0.1
done
out=$(env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
  GST_PLUGIN_SYSTEM_PATH_1_0="$plugins:$(pkg-config --variable=pluginsdir gstreamer-1.0)" \
  GST_REGISTRY="$work/registry" XDG_CACHE_HOME="$work/cache" \
  SYMBL_API_URL="http://127.0.0.1:$(cat "$work/port")" \
  SYMBL_ACCESS_TOKEN=local-dev-token \
  gst-launch-1.0 -m -e filesrc location=examples/meeting.ogg ! decodebin ! \
  symblsink trackers-location=examples/trackers.json 2>&1) ||
  fail "upload with the packaged plugin: $out"
echo "$out" | grep -q "symbl-job, conversation-id=" ||
  fail "no symbl-job message: $out"
echo "gstreamer1.0-symbl: builds, holds the plugin and the server, installs, uploads"
