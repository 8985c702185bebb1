/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbljson: a check on JSON from outside (a user's trackers, the API's
 * replies) before json-glib parses it.
 *
 * json-glib 1.6 parses recursively, a stack frame per level of nesting:
 * some 80 KB of "[[[[..." exhaust an 8 MB thread stack and crash the
 * process. Trackers and replies nest a handful of levels.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYMBL_JSON_MAX_DEPTH 128

/* FALSE if arrays and objects in @data (@length bytes, or nul-terminated
 * when -1) nest deeper than SYMBL_JSON_MAX_DEPTH. */
gboolean symbl_json_depth_ok (const gchar * data, gssize length);

/* json-glib 1.6 ends a string at a "\u0000" escape without a word:
 * "a\u0000b" reads as "a". Returns a copy of the @length bytes of @data
 * where each such escape reads "\ufffd" (the replacement character)
 * instead, so that no string is cut short unseen; NULL when @data has
 * none. */
gchar *symbl_json_mark_nul_escapes (const gchar * data, gsize length);

/* Parses @text, JSON that a user wrote (nul-terminated), refusing what
 * json-glib would mishandle: nesting deeper than SYMBL_JSON_MAX_DEPTH, and
 * an unpaired surrogate escape ("\ud800"), which json-glib decodes into
 * bytes that are not UTF-8 and that must reach neither error texts nor the
 * API. Sets @root (NULL for a text that holds no value) and @compact, its
 * compact text; or returns FALSE with @error in @domain and @code, naming
 * @origin. */
gboolean symbl_json_parse (const gchar * text, const gchar * origin,
    GQuark domain, gint code, JsonNode ** root, gchar ** compact,
    GError ** error);

G_END_DECLS
