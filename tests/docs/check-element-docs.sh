#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Properties cannot drift: every element of the plugin has a page in
# docs/elements/, and each page is regenerated from the plugin into OUT-DIR;
# the test fails, showing the difference, when a committed page is not what
# the code says.
#   check-element-docs.sh GEN-ELEMENT-DOCS PLUGIN-FILE SOURCE-ROOT OUT-DIR
set -eu
gen=$1 plugin=$2 root=$3 out=$4

status=0
for element in $("$gen" --list "$plugin"); do
  [ -f "$root/docs/elements/$element.md" ] || {
    echo "docs/elements/$element.md is missing: copy another page, keep" \
      "its markers, write $element's own text, run" \
      "tools/update-element-docs.sh" >&2
    status=1
  }
done
for page in "$root"/docs/elements/*.md; do
  name=$(basename "$page")
  "$gen" "$plugin" "${name%.md}" "$page" "$out/$name"
  if ! diff -u "$page" "$out/$name"; then
    echo "docs/elements/$name differs from the plugin:" \
      "run tools/update-element-docs.sh and commit the result" >&2
    status=1
  fi
done
exit $status
