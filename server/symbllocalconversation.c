/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the Conversation API's replies.
 *
 * Shapes from Symbl's API reference (docs/conversation-api/api-reference
 * in symblai/symbl-docs): each list comes wrapped in an object named after
 * it ({"messages": [...]}, {"actionItems": [...]}, ...). Every message
 * lasts MESSAGE_SECONDS and follows the one before, spoken by the first
 * member; each tracker with matches makes one topic, question, action
 * item and follow-up about its first phrase.
 */
#include "symbllocalconversation.h"

#include "symbllocalaccount.h"

#include <string.h>

#define MESSAGE_SECONDS 3.0
#define INSIGHT_SCORE 0.9

typedef struct
{
  gchar *id;
  gchar *text;
} Message;

typedef struct
{
  const gchar *text;            /* the tracker's name */
  GPtrArray *message_ids;       /* borrowed from the messages */
} Topic;

typedef struct
{
  const SymblLocalConversation *conversation;
  GArray *messages;             /* of Message, in the order spoken */
  GArray *topics;               /* of Topic */
} Transcript;

static const gchar *const served[] = {
  "messages", "topics", "questions", "action-items", "follow-ups",
  "members", "entities", "analytics", NULL
};

/* Documented by Symbl, not served here */
static const gchar *const left_out[] = {
  "summary", "transcript", "insights", "speakers", "experiences",
  "comprehensive-action-items", NULL
};

gboolean
symbl_local_conversation_serves (const gchar * part)
{
  return g_strv_contains (served, part);
}

gboolean
symbl_local_conversation_is_left_out (const gchar * method, const gchar * part)
{
  /* PUT /members (update members) and anything else but a GET of what is
   * served */
  return g_strv_contains (left_out, part) || (g_strv_contains (served, part)
      && !g_str_equal (method, "GET"));
}

/* Transcript */

static void
message_clear (Message * message)
{
  g_free (message->id);
  g_free (message->text);
}

static void
topic_clear (Topic * topic)
{
  g_ptr_array_unref (topic->message_ids);
}

static const gchar *
add_message (Transcript * transcript, GHashTable * seen, const gchar * id,
    const gchar * text)
{
  Message message = { g_strdup (id), g_strdup (text) };

  if (!g_hash_table_add (seen, message.id))
    return g_hash_table_lookup (seen, id);
  g_array_append_val (transcript->messages, message);
  return message.id;
}

/* The messageRefs of one detected tracker become messages and a topic */
static void
add_tracker (Transcript * transcript, GHashTable * seen, JsonObject * tracker)
{
  JsonArray *matches = json_object_get_array_member (tracker, "matches");
  Topic topic = { json_object_get_string_member (tracker, "name"),
    g_ptr_array_new ()
  };
  guint i, j;

  for (i = 0; i < json_array_get_length (matches); i++) {
    JsonArray *refs = json_object_get_array_member
        (json_array_get_object_element (matches, i), "messageRefs");

    for (j = 0; j < json_array_get_length (refs); j++) {
      JsonObject *ref = json_array_get_object_element (refs, j);

      g_ptr_array_add (topic.message_ids, (gpointer) add_message (transcript,
              seen, json_object_get_string_member (ref, "id"),
              json_object_get_string_member (ref, "text")));
    }
  }
  if (topic.message_ids->len)
    g_array_append_val (transcript->topics, topic);
  else
    topic_clear (&topic);
}

static void
transcript_init (Transcript * transcript,
    const SymblLocalConversation * conversation)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *trackers = json_node_get_array (conversation->trackers_detected);
  guint i;

  transcript->conversation = conversation;
  transcript->messages = g_array_new (FALSE, FALSE, sizeof (Message));
  g_array_set_clear_func (transcript->messages, (GDestroyNotify)
      message_clear);
  transcript->topics = g_array_new (FALSE, FALSE, sizeof (Topic));
  g_array_set_clear_func (transcript->topics, (GDestroyNotify) topic_clear);

  for (i = 0; i < json_array_get_length (trackers); i++)
    add_tracker (transcript, seen, json_array_get_object_element (trackers, i));
  if (transcript->messages->len == 0) {
    g_autofree gchar *key = g_strconcat (conversation->id, "\nmessage", NULL);
    g_autofree gchar *id = symbl_local_stable_id (key);

    add_message (transcript, seen, id, "This conversation was uploaded to "
        "symbl-local-server, which recognizes no speech.");
  }
}

static void
transcript_clear (Transcript * transcript)
{
  g_array_unref (transcript->messages);
  g_array_unref (transcript->topics);
}

/* Pieces */

static gchar *
iso_time (gint64 us)
{
  g_autoptr (GDateTime) time =
      g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree gchar *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds,
      (gint) (us % G_USEC_PER_SEC / 1000));
}

static void
add_time (JsonBuilder * builder, const gchar * name,
    const Transcript * transcript, gdouble offset_s)
{
  g_autofree gchar *text = iso_time (transcript->conversation->start_us +
      (gint64) (offset_s * G_USEC_PER_SEC));

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_string (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_double (JsonBuilder * builder, const gchar * name, gdouble value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_empty_array (JsonBuilder * builder, const gchar * name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
}

static gdouble
talk_seconds (const Transcript * transcript)
{
  return transcript->messages->len * MESSAGE_SECONDS;
}

/* The first member speaks every message */
static void
add_speaker (JsonBuilder * builder, const gchar * name,
    const Transcript * transcript)
{
  JsonObject *speaker =
      json_array_get_object_element (transcript->conversation->members, 0);

  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (),
          speaker));
}

static void
add_members (JsonBuilder * builder, const Transcript * transcript)
{
  JsonNode *members = json_node_init_array (json_node_alloc (),
      transcript->conversation->members);

  json_builder_set_member_name (builder, "members");
  json_builder_add_value (builder, members);
}

/* Replies */

static void
build_conversation (JsonBuilder * builder, const Transcript * transcript)
{
  const SymblLocalConversation *conversation = transcript->conversation;

  add_string (builder, "id", conversation->id);
  add_string (builder, "type", "meeting");
  add_string (builder, "name", conversation->name);
  add_time (builder, "startTime", transcript, 0);
  add_time (builder, "endTime", transcript, talk_seconds (transcript));
  add_members (builder, transcript);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
}

static void
build_messages (JsonBuilder * builder, const Transcript * transcript)
{
  guint i;

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (i = 0; i < transcript->messages->len; i++) {
    Message *message = &g_array_index (transcript->messages, Message, i);
    gdouble offset = i * MESSAGE_SECONDS;

    json_builder_begin_object (builder);
    add_string (builder, "id", message->id);
    add_string (builder, "text", message->text);
    add_speaker (builder, "from", transcript);
    add_time (builder, "startTime", transcript, offset);
    add_time (builder, "endTime", transcript, offset + MESSAGE_SECONDS);
    add_double (builder, "timeOffset", offset);
    add_double (builder, "duration", MESSAGE_SECONDS);
    add_string (builder, "conversationId", transcript->conversation->id);
    add_empty_array (builder, "phrases");
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
}

static void
build_topics (JsonBuilder * builder, const Transcript * transcript)
{
  guint i, j;

  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (i = 0; i < transcript->topics->len; i++) {
    Topic *topic = &g_array_index (transcript->topics, Topic, i);
    g_autofree gchar *key = g_strconcat ("topic\n", topic->text, NULL);
    g_autofree gchar *id = symbl_local_stable_id (key);

    json_builder_begin_object (builder);
    add_string (builder, "id", id);
    add_string (builder, "text", topic->text);
    add_string (builder, "type", "topic");
    add_double (builder, "score", INSIGHT_SCORE);
    json_builder_set_member_name (builder, "messageIds");
    json_builder_begin_array (builder);
    for (j = 0; j < topic->message_ids->len; j++)
      json_builder_add_string_value (builder,
          g_ptr_array_index (topic->message_ids, j));
    json_builder_end_array (builder);
    add_empty_array (builder, "parentRefs");
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
}

typedef struct
{
  const gchar *list;            /* the reply's member */
  const gchar *type;
  const gchar *before, *after;  /* the text, around the first phrase */
  gboolean assigned;            /* action items and follow-ups */
} InsightKind;

static const InsightKind questions = { "questions", "question",
  "What about ", "?", FALSE
};

static const InsightKind action_items = { "actionItems", "action_item",
  "Look into ", ".", TRUE
};

static const InsightKind follow_ups = { "followUps", "follow_up",
  "Follow up on ", ".", TRUE
};

/* One insight of @kind per topic, about its first message */
static void
build_insights (JsonBuilder * builder, const Transcript * transcript,
    const InsightKind * kind)
{
  guint i;

  json_builder_set_member_name (builder, kind->list);
  json_builder_begin_array (builder);
  for (i = 0; i < transcript->topics->len; i++) {
    Topic *topic = &g_array_index (transcript->topics, Topic, i);
    const gchar *message_id = g_ptr_array_index (topic->message_ids, 0);
    const Message *message = NULL;
    g_autofree gchar *key = g_strconcat (kind->type, "\n", topic->text, NULL);
    g_autofree gchar *id = symbl_local_stable_id (key);
    g_autofree gchar *text = NULL;
    guint j;

    for (j = 0; !message; j++)
      if (g_str_equal (g_array_index (transcript->messages, Message,
                  j).id, message_id))
        message = &g_array_index (transcript->messages, Message, j);
    text = g_strconcat (kind->before, message->text, kind->after, NULL);

    json_builder_begin_object (builder);
    add_string (builder, "id", id);
    add_string (builder, "text", text);
    add_string (builder, "type", kind->type);
    add_double (builder, "score", INSIGHT_SCORE);
    json_builder_set_member_name (builder, "messageIds");
    json_builder_begin_array (builder);
    json_builder_add_string_value (builder, message_id);
    json_builder_end_array (builder);
    add_speaker (builder, "from", transcript);
    if (kind->assigned) {
      add_empty_array (builder, "entities");
      add_empty_array (builder, "phrases");
      json_builder_set_member_name (builder, "definitive");
      json_builder_add_boolean_value (builder, TRUE);
      add_speaker (builder, "assignee", transcript);
    }
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
}

static void
add_share (JsonBuilder * builder, const gchar * name,
    const gchar * percent_name, gdouble seconds, gdouble total)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_double (builder, percent_name, total > 0 ? 100.0 * seconds / total : 0);
  add_double (builder, "seconds", seconds);
  json_builder_end_object (builder);
}

static guint
count_words (const Transcript * transcript)
{
  guint i, words = 0;

  for (i = 0; i < transcript->messages->len; i++) {
    g_auto (GStrv) split = g_strsplit (g_array_index (transcript->messages,
            Message, i).text, " ", -1);
    words += g_strv_length (split);
  }
  return words;
}

static void
add_metric (JsonBuilder * builder, const gchar * type, gdouble seconds,
    gdouble total)
{
  json_builder_begin_object (builder);
  add_string (builder, "type", type);
  add_double (builder, "percent", total > 0 ? 100.0 * seconds / total : 0);
  add_double (builder, "seconds", seconds);
  json_builder_end_object (builder);
}

/* No silence, no overlap: the first member talks all the time */
static void
build_analytics (JsonBuilder * builder, const Transcript * transcript)
{
  JsonArray *members = transcript->conversation->members;
  gdouble talk = talk_seconds (transcript);
  guint i;

  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_array (builder);
  add_metric (builder, "total_silence", 0, talk);
  add_metric (builder, "total_talk_time", talk, talk);
  add_metric (builder, "total_overlap", 0, talk);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "members");
  json_builder_begin_array (builder);
  for (i = 0; i < json_array_get_length (members); i++) {
    JsonObject *member = json_array_get_object_element (members, i);
    gdouble own = i == 0 ? talk : 0;

    json_builder_begin_object (builder);
    add_string (builder, "id", json_object_get_string_member (member, "id"));
    add_string (builder, "name", json_object_get_string_member_with_default
        (member, "name", ""));
    json_builder_set_member_name (builder, "pace");
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "wpm");
    json_builder_add_int_value (builder, own > 0 ?
        (gint64) (count_words (transcript) * 60 / own) : 0);
    json_builder_end_object (builder);
    add_share (builder, "talkTime", "percentage", own, talk);
    add_share (builder, "listenTime", "percentage", talk - own, talk);
    json_builder_set_member_name (builder, "overlap");
    json_builder_begin_object (builder);
    json_builder_end_object (builder);
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
}

JsonNode *
symbl_local_conversation_reply (const SymblLocalConversation * conversation,
    const gchar * part)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  Transcript transcript;

  transcript_init (&transcript, conversation);
  json_builder_begin_object (builder);
  if (!part)
    build_conversation (builder, &transcript);
  else if (g_str_equal (part, "messages"))
    build_messages (builder, &transcript);
  else if (g_str_equal (part, "topics"))
    build_topics (builder, &transcript);
  else if (g_str_equal (part, "questions"))
    build_insights (builder, &transcript, &questions);
  else if (g_str_equal (part, "action-items"))
    build_insights (builder, &transcript, &action_items);
  else if (g_str_equal (part, "follow-ups"))
    build_insights (builder, &transcript, &follow_ups);
  else if (g_str_equal (part, "members"))
    add_members (builder, &transcript);
  else if (g_str_equal (part, "entities"))
    add_empty_array (builder, "entities");
  else if (g_str_equal (part, "analytics"))
    build_analytics (builder, &transcript);
  json_builder_end_object (builder);
  transcript_clear (&transcript);
  return json_builder_get_root (builder);
}
