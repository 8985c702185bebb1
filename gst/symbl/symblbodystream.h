/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* SymblBodyStream: an upload's body, read from its file, that tells how
 * much of it libsoup has taken to send, as it takes it. libsoup reads a
 * chunk, then writes it: the report that the last bytes were taken comes
 * before they are written. Whoever records "the whole body went out" on
 * that report does so before the server can have it all, so that a crash
 * in between leaves that record (the recording is not sent again on its
 * own), never a second job without it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SYMBL_TYPE_BODY_STREAM (symbl_body_stream_get_type ())
G_DECLARE_FINAL_TYPE (SymblBodyStream, symbl_body_stream, SYMBL,
    BODY_STREAM, GFilterInputStream);

/* Called from the reading thread with the bytes taken so far, of @total. */
typedef void (*SymblBodyTakenFunc) (guint64 taken, guint64 total,
    gpointer user_data);

/* Reads @base (and closes it when closed); @taken may be NULL. */
GInputStream *symbl_body_stream_new (GInputStream * base, guint64 total,
    SymblBodyTakenFunc taken, gpointer user_data);

G_END_DECLS
