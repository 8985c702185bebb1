/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: what the Symbl Async API accepts.
 *
 * The rules come from Symbl's documentation as gathered in
 * shared/symbl-api/FACTS.md; where the docs are strict, so is this.
 */
#include "symbllocalvalidate.h"

#include "symblapinames.h"

#include <math.h>
#include <string.h>

/* Returns why @value is refused, or NULL; what is taken but worth
 * saying goes to @notes. */
typedef gchar *(*ParamCheck) (const gchar * name, const gchar * value,
    GPtrArray * notes);

static const gchar *const audio_content_types[] = {
  "audio/wav", "audio/mpeg", "audio/mp3", "audio/wave", NULL
};

static const gchar *const language_codes[] = {
  SYMBL_API_LANGUAGE_CODES, NULL
};

gchar *
symbl_local_check_content_type (gboolean is_video, const gchar * content_type)
{
  g_autofree gchar *media_type = NULL;

  /* Symbl's Python SDK sends an empty one for "not sure": no header. */
  if (content_type && strspn (content_type, " \t") == strlen (content_type))
    content_type = NULL;
  if (!content_type) {
    if (is_video)
      return g_strdup ("Content-Type is required for video: only video/mp4 "
          "is supported");
    return NULL;
  }

  /* Parameters such as "; codecs=1" do not matter */
  media_type = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  g_strstrip (media_type);

  if (is_video) {
    if (g_str_equal (media_type, "video/mp4"))
      return NULL;
    return g_strdup_printf ("Unsupported Content-Type \"%s\": only video/mp4 "
        "is supported", media_type);
  }
  if (g_strv_contains (audio_content_types, media_type))
    return NULL;
  return g_strdup_printf ("Unsupported Content-Type \"%s\": use one of "
      "audio/wav, audio/mpeg, audio/mp3, audio/wave, or leave the header out "
      "to have the format detected", media_type);
}

static gboolean
is_string (JsonNode * node, gboolean non_empty)
{
  return node && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      (!non_empty || *json_node_get_string (node));
}

/* A member of an object node, NULL when absent or not an object */
static JsonNode *
get_member (JsonNode * node, const gchar * name)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), name);
}

const gchar *
symbl_local_json_string_member (JsonNode * node, const gchar * name)
{
  JsonNode *member = get_member (node, name);

  return is_string (member, FALSE) ? json_node_get_string (member) : NULL;
}

/* Arrays and objects travel as one JSON text per parameter */
static JsonNode *
parse_json_array (const gchar * name, const gchar * value, gchar ** message)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, value, -1, &error)) {
    *message = g_strdup_printf ("%s is not valid JSON: %s", name,
        error->message);
    return NULL;
  }
  root = json_parser_steal_root (parser);
  if (!root || !JSON_NODE_HOLDS_ARRAY (root)) {
    g_clear_pointer (&root, json_node_unref);
    *message = g_strdup_printf ("%s must be a JSON array", name);
  }
  return root;
}

static gchar *
check_boolean (const gchar * name, const gchar * value, GPtrArray * notes)
{
  if (g_str_equal (value, "true") || g_str_equal (value, "false"))
    return NULL;
  return g_strdup_printf ("%s must be true or false", name);
}

static gchar *
check_confidence_threshold (const gchar * name, const gchar * value,
    GPtrArray * notes)
{
  gchar *end = NULL;
  gdouble threshold = g_ascii_strtod (value, &end);

  if (*value && end && !*end && isfinite (threshold) &&
      threshold >= 0.5 && threshold <= 1.0)
    return NULL;
  return g_strdup_printf ("%s must be a number from 0.5 to 1.0", name);
}

static gboolean
is_documented_language (const gchar * value)
{
  guint i;

  for (i = 0; language_codes[i]; i++)
    if (g_ascii_strcasecmp (language_codes[i], value) == 0)
      return TRUE;
  return FALSE;
}

/* The documented list is from 2022 and may have grown: a well-formed tag
 * off it is taken, with a note. */
static gchar *
check_language_code (const gchar * name, const gchar * value, GPtrArray * notes)
{
  if (is_documented_language (value))
    return NULL;
  if (g_regex_match_simple (SYMBL_API_LANGUAGE_TAG_PATTERN, value, G_REGEX_CASELESS, 0)) {
    g_ptr_array_add (notes, g_strdup_printf ("%s \"%s\" is not on the "
            "documented list; taken as a BCP-47 tag", name, value));
    return NULL;
  }
  return g_strdup_printf ("%s \"%s\" is not a BCP-47 language tag, such "
      "as en-US", name, value);
}

static gchar *
check_mode (const gchar * name, const gchar * value, GPtrArray * notes)
{
  if (g_str_equal (value, "default") || g_str_equal (value, "phone"))
    return NULL;
  return g_strdup_printf ("%s must be default or phone", name);
}

static gchar *
check_positive_integer (const gchar * name, const gchar * value,
    GPtrArray * notes)
{
  if (g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT, NULL, NULL))
    return NULL;
  return g_strdup_printf ("%s must be a positive whole number", name);
}

/* Checks one item of a JSON array parameter; returns the complaint. */
typedef gchar *(*ItemCheck) (const gchar * name, JsonNode * item, guint i);

/* Arrays and objects travel as one JSON text per parameter. */
static gchar *
check_array (const gchar * name, const gchar * value, ItemCheck check_item,
    JsonNode ** parsed)
{
  g_autoptr (JsonNode) root = NULL;
  gchar *message = NULL;
  JsonArray *array;
  guint i;

  if (!(root = parse_json_array (name, value, &message)))
    return message;
  array = json_node_get_array (root);
  for (i = 0; i < json_array_get_length (array); i++)
    if ((message = check_item (name, json_array_get_element (array, i), i)))
      return message;
  if (parsed)
    *parsed = g_steal_pointer (&root);
  return NULL;
}

static gchar *
check_vocabulary_item (const gchar * name, JsonNode * item, guint i)
{
  if (is_string (item, FALSE))
    return NULL;
  return g_strdup_printf ("%s[%u] must be a string", name, i);
}

static gchar *
check_entity (const gchar * name, JsonNode * entity, guint i)
{
  if (is_string (get_member (entity, "customType"), TRUE) &&
      is_string (get_member (entity, "text"), TRUE))
    return NULL;
  return g_strdup_printf ("%s[%u] must be an object with string "
      "\"customType\" and \"text\"", name, i);
}

static gchar *
check_channel (const gchar * name, JsonNode * item, guint i)
{
  JsonNode *channel = get_member (item, "channel");
  JsonNode *speaker = get_member (item, "speaker");
  JsonNode *speaker_name = speaker ? get_member (speaker, "name") : NULL;
  JsonNode *email = speaker ? get_member (speaker, "email") : NULL;

  if (!channel || !JSON_NODE_HOLDS_VALUE (channel) ||
      json_node_get_value_type (channel) != G_TYPE_INT64 ||
      json_node_get_int (channel) < 1)
    return g_strdup_printf ("%s[%u]: \"channel\" must be a whole number "
        "from 1", name, i);
  /* Both the name and the e-mail are optional */
  if (!speaker || !JSON_NODE_HOLDS_OBJECT (speaker) ||
      (speaker_name && !is_string (speaker_name, FALSE)) ||
      (email && !is_string (email, FALSE)))
    return g_strdup_printf ("%s[%u]: \"speaker\" must be an object, with "
        "an optional string \"name\" and \"email\"", name, i);
  return NULL;
}

/* {"id": "..."} refers to a stored tracker; {"name", "vocabulary"} is
 * inline. Symbl's best practices (no repeated phrases, 5 to 50 of them,
 * little punctuation) are advice, not rules the API enforces: the plugin
 * warns about them, so this server takes them. */
static gchar *
check_tracker (const gchar * name, JsonNode * tracker, guint index)
{
  JsonArray *vocabulary;
  JsonNode *node;
  const gchar *tracker_name;
  guint i;

  if (!JSON_NODE_HOLDS_OBJECT (tracker))
    return g_strdup_printf ("%s[%u] must be an object", name, index);
  if (get_member (tracker, "id")) {
    if (is_string (get_member (tracker, "id"), TRUE))
      return NULL;
    return g_strdup_printf ("%s[%u]: \"id\" must be a non-empty string",
        name, index);
  }
  if (!is_string (get_member (tracker, "name"), TRUE))
    return g_strdup_printf ("%s[%u] needs a non-empty \"name\" and a "
        "\"vocabulary\", or an \"id\"", name, index);

  tracker_name = json_node_get_string (get_member (tracker, "name"));
  node = get_member (tracker, "vocabulary");
  if (!node || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return g_strdup_printf ("%s[%u] (\"%s\"): \"vocabulary\" must be a "
        "non-empty array of phrases", name, index, tracker_name);

  vocabulary = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (vocabulary); i++)
    if (!is_string (json_array_get_element (vocabulary, i), TRUE))
      return g_strdup_printf ("%s[%u] (\"%s\"): vocabulary[%u] must be "
          "a non-empty string", name, index, tracker_name, i);
  return NULL;
}

/* Every value of the parameter @name in the raw @query, decoded as a
 * form (a '+' is a space), in order. */
static GPtrArray *
query_values (const gchar * query, const gchar * name)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) pairs = g_strsplit (query ? query : "", "&", -1);
  guint i;

  for (i = 0; pairs[i]; i++) {
    gchar *equals = strchr (g_strdelimit (pairs[i], "+", ' '), '=');
    g_autofree gchar *key = NULL;

    if (!equals)
      continue;
    *equals = '\0';
    key = g_uri_unescape_string (pairs[i], NULL);
    if (g_strcmp0 (key, name) == 0)
      g_ptr_array_add (values, g_uri_unescape_string (equals + 1, NULL));
  }
  return values;
}

/* The docs send one JSON text; Symbl's generated REST client repeats the
 * key, one phrase each ("multi" format), which the service took too. */
static gchar *
check_custom_vocabulary (const gchar * name, const gchar * query)
{
  g_autoptr (GPtrArray) values = query_values (query, name);

  if (values->len == 1 && *(gchar *) g_ptr_array_index (values, 0) == '[')
    return check_array (name, g_ptr_array_index (values, 0),
        check_vocabulary_item, NULL);
  /* An undecodable value (a bad %-escape) comes back NULL */
  if (g_ptr_array_find (values, NULL, NULL))
    return g_strdup_printf ("%s is not well encoded", name);
  return NULL;
}

static gchar *
check_entities (const gchar * name, const gchar * value, GPtrArray * notes)
{
  return check_array (name, value, check_entity, NULL);
}

static gchar *
check_channel_metadata (const gchar * name, const gchar * value,
    GPtrArray * notes)
{
  return check_array (name, value, check_channel, NULL);
}

gchar *
symbl_local_check_upload_params (GHashTable * params, const gchar * query,
    JsonNode ** trackers, GPtrArray * notes)
{
  static const struct
  {
    const gchar *name;
    ParamCheck check;
  } checks[] = {
    {SYMBL_API_DETECT_PHRASES, check_boolean},
    {SYMBL_API_DETECT_ENTITIES, check_boolean},
    {SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL, check_boolean},
    {SYMBL_API_ENABLE_SPEAKER_DIARIZATION, check_boolean},
    {SYMBL_API_ENABLE_ALL_TRACKERS, check_boolean},
    {SYMBL_API_ENABLE_SUMMARY, check_boolean},
    {SYMBL_API_CONFIDENCE_THRESHOLD, check_confidence_threshold},
    {SYMBL_API_LANGUAGE_CODE, check_language_code},
    {SYMBL_API_MODE, check_mode},
    {SYMBL_API_DIARIZATION_SPEAKER_COUNT, check_positive_integer},
    {SYMBL_API_ENTITIES, check_entities},
    {SYMBL_API_CHANNEL_METADATA, check_channel_metadata},
  };
  const gchar *value;
  gchar *message;
  guint i;

  *trackers = NULL;
  for (i = 0; i < G_N_ELEMENTS (checks); i++) {
    value = g_hash_table_lookup (params, checks[i].name);
    if (value && (message = checks[i].check (checks[i].name, value, notes)))
      return message;
  }
  if (g_hash_table_contains (params, SYMBL_API_CUSTOM_VOCABULARY) &&
      (message = check_custom_vocabulary (SYMBL_API_CUSTOM_VOCABULARY, query)))
    return message;

  /* The docs say it "only works when" per-channel recognition is on, not
   * that the request is refused: Symbl's own SDK example sends it so. */
  value = g_hash_table_lookup (params,
      SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL);
  if (g_hash_table_contains (params, SYMBL_API_CHANNEL_METADATA) &&
      g_strcmp0 (value, "true") != 0)
    g_ptr_array_add (notes, g_strdup (SYMBL_API_CHANNEL_METADATA " ignored: "
            SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL " is not true"));

  value = g_hash_table_lookup (params, SYMBL_API_TRACKERS);
  return value ? check_array (SYMBL_API_TRACKERS, value, check_tracker,
      trackers) : NULL;
}

/* The ASF Header Object's GUID, 75B22630-668E-11CF-A6D9-00AA0062CE6C */
static const guint8 asf_header_guid[] = {
  0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11,
  0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c
};

gboolean
symbl_local_body_is_media (gboolean is_video, const guint8 * head,
    gsize head_length)
{
  /* ISO BMFF (MP4, M4A): a box of type "ftyp" first */
  gboolean is_mp4 = head_length >= 8 && memcmp (head + 4, "ftyp", 4) == 0;

  if (is_video)
    return is_mp4;

  return is_mp4 ||
      (head_length >= 12 && memcmp (head, "RIFF", 4) == 0 &&
      memcmp (head + 8, "WAVE", 4) == 0) ||
      /* The FAQ's AMR, AC3, AIFF (or AIFF-C) and WMA (in ASF) */
      (head_length >= 5 && memcmp (head, "#!AMR", 5) == 0) ||
      (head_length >= 2 && head[0] == 0x0b && head[1] == 0x77) ||
      (head_length >= 12 && memcmp (head, "FORM", 4) == 0 &&
      (memcmp (head + 8, "AIFF", 4) == 0 ||
          memcmp (head + 8, "AIFC", 4) == 0)) ||
      (head_length >= G_N_ELEMENTS (asf_header_guid) &&
      memcmp (head, asf_header_guid, G_N_ELEMENTS (asf_header_guid)) == 0) ||
      (head_length >= 3 && memcmp (head, "ID3", 3) == 0) ||
      (head_length >= 4 && memcmp (head, "fLaC", 4) == 0) ||
      (head_length >= 4 && memcmp (head, "OggS", 4) == 0) ||
      /* An MPEG audio frame sync (11 bits set); AAC ADTS (12 bits) too */
      (head_length >= 2 && head[0] == 0xff && (head[1] & 0xe0) == 0xe0);
}
