/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: what the Symbl Async API accepts (private).
 *
 * Pure checks on headers, query parameters and the first bytes of a body.
 * Each check returns NULL when the input is fine, otherwise the message
 * for the error reply (newly allocated).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* For a 415: audio takes no Content-Type or one of the four Symbl lists;
 * video needs video/mp4. An empty header counts as none. */
gchar *symbl_local_check_content_type (gboolean is_video,
    const gchar * content_type);

/* For a 400: the query parameters of an upload, decoded (@params) and
 * raw (@query, for repeated keys). On success @trackers gets the parsed
 * `trackers` array (NULL without one). What is taken but ignored or
 * unusual is added to @notes (strings), for the server's log. */
gchar *symbl_local_check_upload_params (GHashTable * params,
    const gchar * query, JsonNode ** trackers, GPtrArray * notes);

/* Whether the body starts like a file of a format the endpoint takes. */
gboolean symbl_local_body_is_media (gboolean is_video, const guint8 * head,
    gsize head_length);

/* The string member @name of the object @node; NULL when @node is not an
 * object or the member is absent or not a string. */
const gchar *symbl_local_json_string_member (JsonNode * node,
    const gchar * name);

/* How many leading bytes symbl_local_body_is_media() looks at. */
#define SYMBL_LOCAL_MEDIA_HEAD_SIZE 16

G_END_DECLS
