/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblfileerror.h"

gboolean
symbl_file_error (GError ** error, gint saved_errno, const gchar * doing,
    const gchar * path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
      "Could not %s %s: %s", doing, path, g_strerror (saved_errno));
  return FALSE;
}
