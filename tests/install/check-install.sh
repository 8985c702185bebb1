#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `meson install` puts the plugin where GStreamer finds it: under
# GStreamer's own prefix, in GStreamer's plugin directory, found with no
# GST_PLUGIN_PATH; under any other prefix, in <prefix>/<libdir>/gstreamer-1.0,
# found through GST_PLUGIN_PATH. Builds the project in a temporary
# directory once for each case and installs it into a DESTDIR there.
#   check-install.sh SOURCE-ROOT
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# install NAME MESON-SETUP-OPTION...: builds and installs into $work/NAME
install() {
  name=$1
  shift
  meson setup "$@" -Dtests=disabled "$work/build-$name" "$src" \
    >"$work/log" 2>&1 && meson install -C "$work/build-$name" \
    --destdir "$work/$name" >>"$work/log" 2>&1 || {
    cat "$work/log" >&2
    fail "meson install with $*"
  }
}

# expect_elements NAME VARIABLE=VALUE...: gst-inspect-1.0 lists both
# elements with that environment (and no other plugin path).
expect_elements() {
  name=$1
  shift
  out=$(env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
    GST_PLUGIN_SYSTEM_PATH_1_0= GST_REGISTRY="$work/$name.registry" "$@" \
    gst-inspect-1.0 symbl 2>&1) || fail "gst-inspect-1.0 with $*: $out"
  for element in symblsink symbluploadsink; do
    echo "$out" | grep -q "^  $element: " ||
      fail "gst-inspect-1.0 with $* does not list $element: $out"
  done
}

gst_prefix=$(pkg-config --variable=prefix gstreamer-1.0)
pluginsdir=$(pkg-config --variable=pluginsdir gstreamer-1.0)

# A libdir of its own shows that GStreamer's plugin directory wins.
install system --prefix "$gst_prefix" --libdir lib
[ -f "$work/system$pluginsdir/libgstsymbl.so" ] ||
  fail "not in $pluginsdir: $(cd "$work/system" && find . -name '*.so')"
for program in symbl-local-server symbl-outbox; do
  [ -x "$work/system$gst_prefix/bin/$program" ] ||
    fail "$program is not in $gst_prefix/bin"
done
expect_elements system GST_PLUGIN_SYSTEM_PATH_1_0="$work/system$pluginsdir"

install opt --prefix /opt/gst-symbl --libdir lib
plugin_dir=$work/opt/opt/gst-symbl/lib/gstreamer-1.0
[ -f "$plugin_dir/libgstsymbl.so" ] ||
  fail "not in /opt/gst-symbl/lib/gstreamer-1.0: $(cd "$work/opt" && find . -name '*.so')"
expect_elements opt GST_PLUGIN_PATH="$plugin_dir"
echo "installed into $pluginsdir and /opt/gst-symbl/lib/gstreamer-1.0; both found"
