/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* libFuzzer target: the trackers JSON a user gives (the trackers property,
 * or the file of trackers-location), read by symbl_trackers_normalise ().
 * Besides crashes, undefined behaviour and leaks, it checks that the compact
 * JSON it gives back is accepted again and comes back unchanged. */
#include "symbltrackers.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  /* A property value or a file's contents: a nul-terminated string */
  g_autofree gchar *text = g_strndup ((const gchar *) data, size);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *compact = symbl_trackers_normalise (text, "fuzz", &error);

  if (compact) {
    g_autoptr (GError) again_error = NULL;
    g_autofree gchar *again = symbl_trackers_normalise (compact, "fuzz",
        &again_error);

    g_assert_no_error (error);
    g_assert_no_error (again_error);
    g_assert_cmpstr (again, ==, compact);
  } else if (error) {
    g_assert_true (error->domain == SYMBL_TRACKERS_ERROR);
  }
  return 0;
}
