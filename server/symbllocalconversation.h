/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the Conversation API's replies (private).
 *
 * GET /v1/conversations/{id} and its messages, topics, questions,
 * action-items, follow-ups, members, entities and analytics, in the shapes
 * Symbl's docs give. There is no speech recognition here: the messages
 * are the phrases trackers-detected reports (same ids), and the insights
 * are made up from them.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What the account knows of one conversation, borrowed */
typedef struct
{
  const gchar *id;
  const gchar *name;
  gint64 start_us;              /* wall clock, us since the epoch */
  JsonArray *members;           /* of {"id", "name", "email" (optional)} */
  JsonNode *trackers_detected;  /* the array trackers-detected answers */
} SymblLocalConversation;

/* Whether GET /v1/conversations/{id}/@part is served */
gboolean symbl_local_conversation_serves (const gchar * part);

/* Whether @method /v1/conversations/{id}/@part is one of Symbl's that this
 * server leaves out (answered 501) */
gboolean symbl_local_conversation_is_left_out (const gchar * method,
    const gchar * part);

/* The reply to GET /v1/conversations/{id}, or /@part of it when @part is
 * not NULL (one symbl_local_conversation_serves() takes) */
JsonNode *symbl_local_conversation_reply (const SymblLocalConversation * conversation,
    const gchar * part);

G_END_DECLS
