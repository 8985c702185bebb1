/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* One wording for a failed file operation, as GLib's file errors. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets @error to "Could not @doing @path: <strerror>", coded from
 * @saved_errno. Returns FALSE, for "return symbl_file_error (...)". */
gboolean symbl_file_error (GError ** error, gint saved_errno,
    const gchar * doing, const gchar * path);

G_END_DECLS
