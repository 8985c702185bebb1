/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblvalues: what may go into a request's headers and URL.
 *
 * One place for the rules that keep a value from changing a request:
 * no control character in a setting that becomes a header or a URL
 * (a CR LF would start a new header, or a new request), and nothing in an
 * id from Symbl's replies that would cut it short or change the path it
 * goes into. Used by the settings check at READY, by the client on each
 * reply, and by tests/fuzz/fuzz-values.c.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Symbl's ids are numbers or UUIDs: far shorter. */
#define SYMBL_VALUES_MAX_ID_LENGTH 128

/* The offset of the first control character (below 0x20, or 0x7f) in the
 * @length bytes of @text, or -1 when there is none. */
gssize symbl_values_find_control (const gchar * text, gsize length);

/* A control character as people write it, for error texts: "\r", "\n",
 * "\t", "\0", or "\x1b". */
gchar *symbl_values_describe_control (guchar c);

/* TRUE when @text is non-empty visible ASCII only (RFC 6750's token
 * characters): an access token, which goes into a header. */
gboolean symbl_values_is_token (const gchar * text, gsize length);

/* TRUE when the @length bytes of @id can name a conversation or a job in a
 * URL path: 1 to SYMBL_VALUES_MAX_ID_LENGTH visible ASCII characters, none
 * of '/', '?', '#', '%' or '\\', and neither "." nor "..". */
gboolean symbl_values_is_id (const gchar * id, gsize length);

G_END_DECLS
