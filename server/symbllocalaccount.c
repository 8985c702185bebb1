/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the account behind the API.
 *
 * There is no speech recognition here: a job is a clock (scheduled, then
 * in_progress, then completed or failed), and "detected" trackers are
 * made up from what the uploads asked for, so that clients can be tested
 * end to end.
 */
#include "symbllocalaccount.h"

#include "symbllocalconversation.h"
#include "symbllocalvalidate.h"

#include <string.h>

typedef struct
{
  /* Validated tracker objects, each once: the first upload that names a
   * tracker wins */
  GPtrArray *trackers;
  GHashTable *tracker_keys;
  /* From its first upload */
  gchar *name;
  gint64 start_us;              /* wall clock */
  JsonArray *members;
} Conversation;

typedef struct
{
  gint64 created_us;            /* when its upload completed */
  gboolean fails;
} Job;

struct _SymblLocalAccount
{
  GHashTable *access_tokens;    /* set of fixed tokens */
  GHashTable *generated_tokens; /* token -> gint64 expiry (monotonic us) */
  gchar *app_id;
  gchar *app_secret;
  guint token_lifetime_s;
  gint64 job_step_us;
  guint max_concurrent_jobs;    /* 0: unlimited */
  GHashTable *conversations;    /* id -> Conversation */
  GHashTable *jobs;             /* id -> Job */
};

/* Conversation ids are unique in the process, whatever the server */
G_LOCK_DEFINE_STATIC (conversation_ids);
static guint64 last_conversation_id;

static gchar *
generate_conversation_id (void)
{
  guint64 id;

  G_LOCK (conversation_ids);
  /* Symbl's ids have 16 decimal digits; a random start keeps runs apart */
  if (!last_conversation_id)
    last_conversation_id = G_GUINT64_CONSTANT (4000000000000000) +
        (guint64) g_random_int () * 100000;
  id = ++last_conversation_id;
  G_UNLOCK (conversation_ids);

  return g_strdup_printf ("%" G_GUINT64_FORMAT, id);
}

gchar *
symbl_local_stable_id (const gchar * text)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof (digest);
  guint64 value = 0;
  guint i;

  g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_get_digest (checksum, digest, &digest_length);
  for (i = 0; i < 8; i++)
    value = (value << 8) | digest[i];

  return g_strdup_printf ("%" G_GUINT64_FORMAT,
      G_GUINT64_CONSTANT (1000000000000000) +
      value % G_GUINT64_CONSTANT (9000000000000000));
}

static void
conversation_free (Conversation * conversation)
{
  g_ptr_array_unref (conversation->trackers);
  g_hash_table_unref (conversation->tracker_keys);
  g_free (conversation->name);
  json_array_unref (conversation->members);
  g_free (conversation);
}

static void
add_member (JsonArray * members, const gchar * conversation_id,
    const gchar * name, const gchar * email)
{
  JsonObject *member = json_object_new ();
  g_autofree gchar *key = g_strdup_printf ("%s\nmember %u", conversation_id,
      json_array_get_length (members));
  g_autofree gchar *id = symbl_local_stable_id (key);

  json_object_set_string_member (member, "id", id);
  json_object_set_string_member (member, "name", name);
  if (email)
    json_object_set_string_member (member, "email", email);
  json_array_add_object_element (members, member);
}

/* The speakers of @channel_metadata, or one unknown speaker */
static JsonArray *
members_from (const gchar * conversation_id, JsonNode * channel_metadata)
{
  JsonArray *members = json_array_new ();
  JsonArray *channels = channel_metadata ?
      json_node_get_array (channel_metadata) : NULL;
  guint i;

  for (i = 0; channels && i < json_array_get_length (channels); i++) {
    JsonNode *channel = json_array_get_element (channels, i);
    JsonNode *speaker = json_object_get_member (json_node_get_object
        (channel), "speaker");
    const gchar *name = symbl_local_json_string_member (speaker, "name");
    g_autofree gchar *fallback = g_strdup_printf ("Speaker %u", i + 1);

    add_member (members, conversation_id, name ? name : fallback,
        symbl_local_json_string_member (speaker, "email"));
  }
  if (json_array_get_length (members) == 0)
    add_member (members, conversation_id, "Speaker 1", NULL);
  return members;
}

static Conversation *
conversation_new (const gchar * id, const gchar * name,
    JsonNode * channel_metadata)
{
  Conversation *conversation = g_new0 (Conversation, 1);

  conversation->trackers =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  conversation->tracker_keys =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* As Symbl: the name defaults to the conversation's id */
  conversation->name = g_strdup (name ? name : id);
  conversation->start_us = g_get_real_time ();
  conversation->members = members_from (id, channel_metadata);
  return conversation;
}

static void
conversation_add_trackers (Conversation * conversation, JsonNode * trackers)
{
  JsonArray *array = json_node_get_array (trackers);
  guint i;

  for (i = 0; i < json_array_get_length (array); i++) {
    JsonNode *tracker = json_array_get_element (array, i);
    JsonObject *object = json_node_get_object (tracker);
    gchar *key;

    if (json_object_has_member (object, "id"))
      key = g_strconcat ("id:", json_object_get_string_member (object, "id"),
          NULL);
    else
      key = g_strconcat ("name:",
          json_object_get_string_member (object, "name"), NULL);

    if (g_hash_table_add (conversation->tracker_keys, key))
      g_ptr_array_add (conversation->trackers, json_node_copy (tracker));
  }
}

SymblLocalAccount *
symbl_local_account_new (const gchar * const *access_tokens,
    const gchar * app_id, const gchar * app_secret, guint token_lifetime_s,
    guint job_step_ms, guint max_concurrent_jobs)
{
  SymblLocalAccount *account = g_new0 (SymblLocalAccount, 1);

  account->access_tokens =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (; access_tokens && *access_tokens; access_tokens++)
    g_hash_table_add (account->access_tokens, g_strdup (*access_tokens));
  account->generated_tokens =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  account->app_id = g_strdup (app_id);
  account->app_secret = g_strdup (app_secret);
  account->token_lifetime_s = token_lifetime_s;
  account->job_step_us = (gint64) job_step_ms *1000;
  account->max_concurrent_jobs = max_concurrent_jobs;
  account->conversations = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) conversation_free);
  account->jobs =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return account;
}

void
symbl_local_account_free (SymblLocalAccount * account)
{
  if (!account)
    return;
  g_hash_table_unref (account->access_tokens);
  g_hash_table_unref (account->generated_tokens);
  g_free (account->app_id);
  g_free (account->app_secret);
  g_hash_table_unref (account->conversations);
  g_hash_table_unref (account->jobs);
  g_free (account);
}

gboolean
symbl_local_account_check_token (SymblLocalAccount * account,
    const gchar * token)
{
  gint64 *expiry;

  if (!token || !*token)
    return FALSE;
  if (g_hash_table_contains (account->access_tokens, token))
    return TRUE;

  expiry = g_hash_table_lookup (account->generated_tokens, token);
  if (!expiry)
    return FALSE;
  if (g_get_monotonic_time () < *expiry)
    return TRUE;
  g_hash_table_remove (account->generated_tokens, token);
  return FALSE;
}

gboolean
symbl_local_account_check_credentials (SymblLocalAccount * account,
    const gchar * app_id, const gchar * app_secret)
{
  return g_strcmp0 (app_id, account->app_id) == 0 &&
      g_strcmp0 (app_secret, account->app_secret) == 0;
}

gchar *
symbl_local_account_new_token (SymblLocalAccount * account,
    guint * expires_in_s)
{
  GString *token = g_string_new (NULL);
  gint64 *expiry = g_new (gint64, 1);
  guint i;

  for (i = 0; i < 8; i++)
    g_string_append_printf (token, "%08x", g_random_int ());

  *expiry = g_get_monotonic_time () +
      (gint64) account->token_lifetime_s * G_USEC_PER_SEC;
  g_hash_table_replace (account->generated_tokens, g_strdup (token->str),
      expiry);

  *expires_in_s = account->token_lifetime_s;
  return g_string_free (token, FALSE);
}

gboolean
symbl_local_account_has_conversation (SymblLocalAccount * account,
    const gchar * conversation_id)
{
  return g_hash_table_contains (account->conversations, conversation_id);
}

void
symbl_local_account_add_job (SymblLocalAccount * account,
    const gchar * conversation_id, const gchar * name,
    JsonNode * channel_metadata, JsonNode * trackers, gboolean job_fails,
    gchar ** new_conversation_id, gchar ** new_job_id)
{
  Conversation *conversation;
  Job *job = g_new0 (Job, 1);

  if (conversation_id) {
    conversation = g_hash_table_lookup (account->conversations,
        conversation_id);
    g_assert (conversation);
    *new_conversation_id = g_strdup (conversation_id);
  } else {
    *new_conversation_id = generate_conversation_id ();
    conversation = conversation_new (*new_conversation_id, name,
        channel_metadata);
    g_hash_table_insert (account->conversations,
        g_strdup (*new_conversation_id), conversation);
  }
  if (trackers)
    conversation_add_trackers (conversation, trackers);

  job->created_us = g_get_monotonic_time ();
  job->fails = job_fails;
  *new_job_id = g_uuid_string_random ();
  g_hash_table_insert (account->jobs, g_strdup (*new_job_id), job);
}

/* The one clock of a job, for its status and for the slot it holds */
static gboolean
job_is_running (SymblLocalAccount * account, const Job * job,
    gboolean * scheduled)
{
  gint64 elapsed = g_get_monotonic_time () - job->created_us;

  *scheduled = elapsed < account->job_step_us;
  return elapsed < 2 * account->job_step_us;
}

const gchar *
symbl_local_account_get_job_status (SymblLocalAccount * account,
    const gchar * job_id)
{
  Job *job = g_hash_table_lookup (account->jobs, job_id);
  gboolean scheduled;

  if (!job)
    return NULL;
  if (job_is_running (account, job, &scheduled))
    return scheduled ? "scheduled" : "in_progress";
  return job->fails ? "failed" : "completed";
}

gboolean
symbl_local_account_has_free_job_slot (SymblLocalAccount * account)
{
  GHashTableIter iter;
  gpointer job;
  gboolean scheduled;
  guint running = 0;

  if (!account->max_concurrent_jobs)
    return TRUE;
  g_hash_table_iter_init (&iter, account->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &job))
    running += job_is_running (account, job, &scheduled);
  return running < account->max_concurrent_jobs;
}

guint
symbl_local_account_get_max_concurrent_jobs (SymblLocalAccount * account)
{
  return account->max_concurrent_jobs;
}

static void
add_vocabulary_match (JsonBuilder * builder, const gchar * tracker_name,
    const gchar * phrase)
{
  g_autofree gchar *message_key = g_strconcat (tracker_name, "\n", phrase,
      NULL);
  g_autofree gchar *message_id = symbl_local_stable_id (message_key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "vocabulary");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, phrase);
  json_builder_set_member_name (builder, "messageRefs");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, message_id);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, phrase);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, -1);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "insightRefs");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* An inline tracker "matches" each of its phrases once; a tracker given
 * by id is unknown here, so it matches nothing */
static void
add_detected_tracker (JsonBuilder * builder, JsonObject * tracker)
{
  const gchar *name;
  JsonArray *vocabulary;
  g_autofree gchar *id = NULL;
  guint i;

  json_builder_begin_object (builder);
  if (json_object_has_member (tracker, "id")) {
    name = json_object_get_string_member (tracker, "id");
    id = g_strdup (name);
    vocabulary = NULL;
  } else {
    name = json_object_get_string_member (tracker, "name");
    id = symbl_local_stable_id (name);
    vocabulary = json_object_get_array_member (tracker, "vocabulary");
  }
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "matches");
  json_builder_begin_array (builder);
  for (i = 0; vocabulary && i < json_array_get_length (vocabulary); i++)
    add_vocabulary_match (builder, name,
        json_array_get_string_element (vocabulary, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

JsonNode *
symbl_local_account_get_trackers_detected (SymblLocalAccount * account,
    const gchar * conversation_id)
{
  Conversation *conversation = g_hash_table_lookup (account->conversations,
      conversation_id);
  g_autoptr (JsonBuilder) builder = NULL;
  guint i;

  if (!conversation)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (i = 0; i < conversation->trackers->len; i++)
    add_detected_tracker (builder,
        json_node_get_object (g_ptr_array_index (conversation->trackers, i)));
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
symbl_local_account_get_conversation_reply (SymblLocalAccount * account,
    const gchar * conversation_id, const gchar * part)
{
  Conversation *stored = g_hash_table_lookup (account->conversations,
      conversation_id);
  g_autoptr (JsonNode) detected = NULL;
  SymblLocalConversation conversation;

  if (!stored)
    return NULL;
  detected = symbl_local_account_get_trackers_detected (account,
      conversation_id);
  conversation = (SymblLocalConversation) {
  conversation_id, stored->name, stored->start_us, stored->members, detected};
  return symbl_local_conversation_reply (&conversation, part);
}
