/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbltrackers.h"
#include "symbljson.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* A trackers file is a few KiB; anything far larger is a mistake, and the
 * whole text travels in a URL anyway. */
#define MAX_TRACKERS_FILE_SIZE (1024 * 1024)

GQuark
symbl_trackers_error_quark (void)
{
  return g_quark_from_static_string ("symbl-trackers-error-quark");
}

static gboolean
fail (GError ** error, const gchar * origin, guint index, const gchar * name,
    const gchar * format, ...)
G_GNUC_PRINTF (5, 6);

/* Every shape error starts the same way: which tracker, and where from. */
     static gboolean
         fail (GError ** error, const gchar * origin, guint index,
    const gchar * name, const gchar * format, ...)
{
  g_autofree gchar *what = NULL;
  g_autofree gchar *which = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (name)
    which = g_strdup_printf ("tracker %u (\"%s\")", index, name);
  else
    which = g_strdup_printf ("tracker %u", index);

  g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_SHAPE,
      "%s in %s %s", which, origin, what);
  return FALSE;
}

static const gchar *
json_kind (JsonNode * node)
{
  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    default:
      break;
  }
  switch (json_node_get_value_type (node)) {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
  }
}

static gboolean
is_nonempty_string (JsonNode * node)
{
  return JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && *json_node_get_string (node) != '\0';
}

/* {"id": "5123033831841280"}: a tracker stored with the Management API. */
static gboolean
check_stored_tracker (JsonObject * tracker, const gchar * origin, guint index,
    GError ** error)
{
  JsonNode *id = json_object_get_member (tracker, "id");

  if (json_object_get_size (tracker) != 1)
    return fail (error, origin, index, NULL,
        "has \"id\" and other members: a stored tracker is {\"id\": \"...\"} "
        "alone, an inline one is {\"name\": ..., \"vocabulary\": [...]}");
  if (JSON_NODE_HOLDS_VALUE (id)
      && json_node_get_value_type (id) == G_TYPE_INT64)
    return fail (error, origin, index, NULL,
        "has a numeric \"id\"; tracker ids are strings: write "
        "\"%" G_GINT64_FORMAT "\" in quotes", json_node_get_int (id));
  if (!is_nonempty_string (id))
    return fail (error, origin, index, NULL,
        "has an \"id\" that is not a non-empty string");
  return TRUE;
}

/* {"name": "COVID-19", "vocabulary": ["social distancing", ...]} */
static gboolean
check_inline_tracker (JsonObject * tracker, const gchar * origin, guint index,
    GError ** error)
{
  JsonNode *name_node = json_object_get_member (tracker, "name");
  JsonNode *vocabulary_node = json_object_get_member (tracker, "vocabulary");
  const gchar *name;
  JsonArray *vocabulary;
  g_autoptr (GList) members = NULL;
  GList *l;
  guint i;

  if (!name_node)
    return fail (error, origin, index, NULL,
        "has no \"name\": an inline tracker needs \"name\" and "
        "\"vocabulary\", a stored one needs \"id\"");
  if (!is_nonempty_string (name_node))
    return fail (error, origin, index, NULL,
        "has a \"name\" that is not a non-empty string");
  name = json_node_get_string (name_node);

  members = json_object_get_members (tracker);
  for (l = members; l; l = l->next) {
    const gchar *member = l->data;
    if (g_strcmp0 (member, "name") != 0
        && g_strcmp0 (member, "vocabulary") != 0)
      return fail (error, origin, index, name,
          "has an unknown member \"%s\" (an inline tracker has only "
          "\"name\" and \"vocabulary\")", member);
  }

  if (!vocabulary_node)
    return fail (error, origin, index, name, "has no \"vocabulary\"");
  if (!JSON_NODE_HOLDS_ARRAY (vocabulary_node))
    return fail (error, origin, index, name,
        "has a \"vocabulary\" that is %s, not an array of phrases",
        json_kind (vocabulary_node));

  vocabulary = json_node_get_array (vocabulary_node);
  if (json_array_get_length (vocabulary) == 0)
    return fail (error, origin, index, name, "has an empty \"vocabulary\"");
  for (i = 0; i < json_array_get_length (vocabulary); i++) {
    JsonNode *phrase = json_array_get_element (vocabulary, i);
    if (!is_nonempty_string (phrase))
      return fail (error, origin, index, name,
          "has vocabulary phrase %u that is %s, not a non-empty string",
          i + 1, JSON_NODE_HOLDS_VALUE (phrase)
          && json_node_get_value_type (phrase) == G_TYPE_STRING ?
          "empty" : json_kind (phrase));
  }
  return TRUE;
}

static gboolean
check_trackers (JsonNode * root, const gchar * origin, GError ** error)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *trackers;
  guint i;

  if (!JSON_NODE_HOLDS_ARRAY (root)) {
    g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_SHAPE,
        "%s is %s, but trackers are a JSON array, like "
        "[{\"name\": \"COVID-19\", \"vocabulary\": [\"vaccination\"]}]",
        origin, json_kind (root));
    return FALSE;
  }

  trackers = json_node_get_array (root);
  for (i = 0; i < json_array_get_length (trackers); i++) {
    JsonNode *node = json_array_get_element (trackers, i);
    JsonObject *tracker;
    const gchar *name;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      return fail (error, origin, i + 1, NULL, "is %s, not an object",
          json_kind (node));
    tracker = json_node_get_object (node);

    if (json_object_has_member (tracker, "id")) {
      if (!check_stored_tracker (tracker, origin, i + 1, error))
        return FALSE;
      continue;
    }
    if (!check_inline_tracker (tracker, origin, i + 1, error))
      return FALSE;

    /* Results come back by name: two trackers with one name would be
     * indistinguishable. Names are case-sensitive. */
    name = json_object_get_string_member (tracker, "name");
    if (g_hash_table_contains (names, name))
      return fail (error, origin, i + 1, name,
          "has the same name as an earlier tracker");
    g_hash_table_add (names, (gpointer) name);
  }
  return TRUE;
}

gchar *
symbl_trackers_normalise (const gchar * text, const gchar * origin,
    GError ** error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *compact = NULL;

  if (!symbl_json_parse (text, origin, SYMBL_TRACKERS_ERROR,
          SYMBL_TRACKERS_ERROR_SYNTAX, &root, &compact, error))
    return NULL;
  if (!root) {
    g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_SYNTAX,
        "%s holds no JSON value", origin);
    return NULL;
  }
  if (!check_trackers (root, origin, error))
    return NULL;
  if (json_array_get_length (json_node_get_array (root)) == 0)
    return NULL;

  return g_steal_pointer (&compact);
}

#define MIN_PHRASES 5
#define MAX_PHRASES 50

static gboolean
has_odd_punctuation (const gchar * phrase)
{
  for (; *phrase; phrase = g_utf8_next_char (phrase)) {
    gunichar c = g_utf8_get_char (phrase);
    if (g_unichar_ispunct (c) && c != '.' && c != '\'' && c != '-')
      return TRUE;
  }
  return FALSE;
}

static void
advise_tracker (JsonObject * tracker, guint index, GPtrArray * advice)
{
  const gchar *name = json_object_get_string_member (tracker, "name");
  JsonArray *vocabulary = json_object_get_array_member (tracker,
      "vocabulary");
  guint n = json_array_get_length (vocabulary), i;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (n < MIN_PHRASES || n > MAX_PHRASES)
    g_ptr_array_add (advice, g_strdup_printf ("tracker %u (\"%s\") has %u "
            "phrases; Symbl recommends %d to %d", index, name, n,
            MIN_PHRASES, MAX_PHRASES));
  for (i = 0; i < n; i++) {
    const gchar *phrase = json_array_get_string_element (vocabulary, i);

    if (!g_hash_table_add (seen, (gpointer) phrase))
      g_ptr_array_add (advice, g_strdup_printf ("tracker %u (\"%s\") "
              "repeats the phrase \"%s\"", index, name, phrase));
    if (has_odd_punctuation (phrase))
      g_ptr_array_add (advice, g_strdup_printf ("tracker %u (\"%s\"): the "
              "phrase \"%s\" has punctuation other than . ' -", index, name,
              phrase));
  }
}

void
symbl_trackers_advise (const gchar * trackers, GPtrArray * advice)
{
  g_autoptr (JsonNode) root = json_from_string (trackers, NULL);
  JsonArray *array;
  guint i;

  g_return_if_fail (root && JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  for (i = 0; i < json_array_get_length (array); i++) {
    JsonObject *tracker = json_array_get_object_element (array, i);
    if (json_object_has_member (tracker, "vocabulary"))
      advise_tracker (tracker, i + 1, advice);
  }
}

gchar *
symbl_trackers_load_file (const gchar * path, GError ** error)
{
  g_autofree gchar *origin = g_strdup_printf ("trackers-location %s", path);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) read_error = NULL;
  /* One byte more than allowed, to tell a file that is too large, and
   * never more: trackers-location=/dev/zero must not fill the memory. */
  g_autofree gchar *text = g_malloc (MAX_TRACKERS_FILE_SIZE + 1);
  gsize length = 0;

  stream = g_file_read (file, NULL, &read_error);
  if (!stream || !g_input_stream_read_all (G_INPUT_STREAM (stream), text,
          MAX_TRACKERS_FILE_SIZE + 1, &length, NULL, &read_error)) {
    g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_READ,
        "Could not read %s: %s", origin, read_error->message);
    return NULL;
  }
  if (length > MAX_TRACKERS_FILE_SIZE) {
    g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_READ,
        "%s is more than %d bytes, the most a trackers file may hold",
        origin, MAX_TRACKERS_FILE_SIZE);
    return NULL;
  }
  text[length] = '\0';
  if (!g_utf8_validate (text, length, NULL)) {
    g_set_error (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_SYNTAX,
        "%s is not UTF-8 text", origin);
    return NULL;
  }
  return symbl_trackers_normalise (text, origin, error);
}
