/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* libFuzzer target: every reply body the client reads from the API, as
 * symblclient.c reads it: the job ids of an upload's reply, the message of
 * an error reply, the token reply and the job status reply, and the depth
 * check before json-glib parses any of them. The bytes are exactly the
 * input, with no terminating nul, as they come off the socket. */
#include "symblclient.h"
#include "symbljson.h"
#include "symblvalues.h"

#include <string.h>

#include <json-glib/json-glib.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static guint
nesting (JsonNode * node)
{
  guint deepest = 0, depth, i;

  if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *array = json_node_get_array (node);
    for (i = 0; i < json_array_get_length (array); i++) {
      depth = nesting (json_array_get_element (array, i));
      deepest = MAX (deepest, depth);
    }
    return deepest + 1;
  }
  if (JSON_NODE_HOLDS_OBJECT (node)) {
    g_autoptr (GList) members =
        json_object_get_values (json_node_get_object (node));
    GList *l;
    for (l = members; l; l = l->next) {
      depth = nesting (l->data);
      deepest = MAX (deepest, depth);
    }
    return deepest + 1;
  }
  return 0;
}

/* symbl_json_depth_ok () must count every level json-glib recurses into,
 * whatever strings, comments or quirks of its scanner hide brackets. */
static void
check_depth_guard (const gchar * data, gsize size)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (size > 0 && symbl_json_depth_ok (data, size)
      && json_parser_load_from_data (parser, data, size, NULL)
      && json_parser_get_root (parser))
    g_assert_cmpuint (nesting (json_parser_get_root (parser)), <=,
        SYMBL_JSON_MAX_DEPTH);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  const gchar *reply = (const gchar *) data;
  SymblJobIds ids = { NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) token_error = NULL;
  g_autoptr (GError) status_error = NULL;
  g_autofree gchar *message = NULL;
  g_autofree gchar *token = NULL;
  g_autofree gchar *status = NULL;
  gint64 expires_in_s = 0;
  const gchar *c;

  if (symbl_client_parse_job_reply (reply, size, &ids, &error)) {
    g_assert_no_error (error);
    /* They go on the bus as strings: non-empty, valid UTF-8 */
    g_assert_true (ids.conversation_id && *ids.conversation_id);
    g_assert_true (ids.job_id && *ids.job_id);
    g_assert_true (g_utf8_validate (ids.conversation_id, -1, NULL));
    g_assert_true (g_utf8_validate (ids.job_id, -1, NULL));
    /* They go into URL paths: nothing that would change the path */
    g_assert_true (symbl_values_is_id (ids.conversation_id,
            strlen (ids.conversation_id)));
    g_assert_true (symbl_values_is_id (ids.job_id, strlen (ids.job_id)));
  } else {
    /* The error text quotes a refused id: valid UTF-8 still */
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_error (error, SYMBL_CLIENT_ERROR,
        SYMBL_CLIENT_ERROR_MALFORMED_REPLY);
    g_assert_null (ids.conversation_id);
    g_assert_null (ids.job_id);
  }
  symbl_job_ids_clear (&ids);

  /* It ends up in error texts and bus messages: valid UTF-8 */
  message = symbl_client_reply_message (reply, size);
  g_assert_true (message != NULL || size == 0);
  g_assert_true (!message || g_utf8_validate (message, -1, NULL));

  /* A token goes into an Authorization header: visible ASCII */
  if (symbl_client_parse_token_reply (reply, size, &token, &expires_in_s,
          &token_error)) {
    g_assert_true (*token);
    for (c = token; *c; c++)
      g_assert_true (*c > ' ' && *c <= '~');
  } else {
    g_assert_error (token_error, SYMBL_CLIENT_ERROR,
        SYMBL_CLIENT_ERROR_MALFORMED_REPLY);
    g_assert_null (token);
  }

  if (symbl_client_parse_job_status_reply (reply, size, &status, &status_error))
    g_assert_true (g_utf8_validate (status, -1, NULL));
  else
    g_assert_error (status_error, SYMBL_CLIENT_ERROR,
        SYMBL_CLIENT_ERROR_MALFORMED_REPLY);

  check_depth_guard (reply, size);
  return 0;
}
