/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbloptions.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "symblapinames.h"
#include "symblclient.h"
#include "symbljson.h"
#include "symbltrackers.h"

/* Phone audio is narrowband: 8 kHz. */
#define PHONE_MAX_RATE 8000
/* Room for what symblsink's pads may add (speaker names and e-mails). */
#define LONGEST_CHANNEL_METADATA \
    "[{\"channel\":1,\"speaker\":{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"," \
    "\"email\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}},{\"channel\":2," \
    "\"speaker\":{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"email\":" \
    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}]"

GQuark
symbl_options_error_quark (void)
{
  return g_quark_from_static_string ("symbl-options-error-quark");
}

const gchar *const symbl_language_codes[] = {
  SYMBL_API_LANGUAGE_CODES, NULL
};

typedef struct
{
  const gchar *name;            /* the API's name, static */
  gchar *encoded;               /* name=value, percent-encoded */
} Parameter;

struct _SymblOptions
{
  GArray *parameters;           /* of Parameter, in the order sent */
  gboolean auto_mode;           /* add mode=phone for narrowband input */
  gboolean user_per_channel;    /* the user chose per-channel recognition */
  gboolean per_channel;         /* ... and to have it */
  gboolean user_channel_metadata;
  gboolean asks_for_trackers;   /* trackers sent, or enable-all-trackers */
};

static void
parameter_clear (Parameter * parameter)
{
  g_free (parameter->encoded);
}

static void
add (SymblOptions * options, const gchar * name, const gchar * value)
{
  g_autoptr (GString) encoded = g_string_new (NULL);
  Parameter parameter = { name, NULL };

  symbl_client_append_query (encoded, name, value);
  parameter.encoded = g_string_free (g_steal_pointer (&encoded), FALSE);
  g_array_append_val (options->parameters, parameter);
}

static gboolean
invalid (GError ** error, const gchar * format, ...)
G_GNUC_PRINTF (2, 3);

     static gboolean invalid (GError ** error, const gchar * format, ...)
{
  g_autofree gchar *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SYMBL_OPTIONS_ERROR,
      SYMBL_OPTIONS_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_string (JsonNode * node, gboolean non_empty)
{
  return node && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && (!non_empty || *json_node_get_string (node));
}

static JsonNode *
member (JsonNode * node, const gchar * name)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), name);
}

/* Why item @i of @property is wrong, or NULL. */
typedef gchar *(*ItemCheck) (const gchar * property, JsonNode * item, guint i);

/* Parses the JSON array in @property, checks each item, and returns the
 * compact text to send. */
static gchar *
json_array_option (const gchar * property, const gchar * text,
    const gchar * example, ItemCheck check, GError ** error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *compact = NULL;
  JsonArray *array;
  guint i;

  if (!symbl_json_parse (text, property, SYMBL_OPTIONS_ERROR,
          SYMBL_OPTIONS_ERROR_INVALID, &root, &compact, error))
    return NULL;
  if (!root || !JSON_NODE_HOLDS_ARRAY (root)) {
    invalid (error, "%s must be a JSON array, like %s", property, example);
    return NULL;
  }
  array = json_node_get_array (root);
  for (i = 0; i < json_array_get_length (array); i++) {
    gchar *why = check (property, json_array_get_element (array, i), i + 1);
    if (why) {
      g_set_error_literal (error, SYMBL_OPTIONS_ERROR,
          SYMBL_OPTIONS_ERROR_INVALID, why);
      g_free (why);
      return NULL;
    }
  }
  return g_steal_pointer (&compact);
}

static gchar *
check_phrase (const gchar * property, JsonNode * item, guint i)
{
  if (is_string (item, TRUE))
    return NULL;
  return g_strdup_printf ("%s: item %u must be a non-empty string",
      property, i);
}

static gchar *
check_entity (const gchar * property, JsonNode * item, guint i)
{
  if (is_string (member (item, "customType"), TRUE)
      && is_string (member (item, "text"), TRUE))
    return NULL;
  return g_strdup_printf ("%s: entity %u must be {\"customType\": \"...\", "
      "\"text\": \"...\"} with non-empty strings", property, i);
}

static gchar *
check_channel (const gchar * property, JsonNode * item, guint i)
{
  JsonNode *channel = member (item, "channel");
  JsonNode *speaker = member (item, "speaker");
  JsonNode *name = speaker ? member (speaker, "name") : NULL;
  JsonNode *email = speaker ? member (speaker, "email") : NULL;

  if (!channel || !JSON_NODE_HOLDS_VALUE (channel)
      || json_node_get_value_type (channel) != G_TYPE_INT64
      || json_node_get_int (channel) < 1)
    return g_strdup_printf ("%s: item %u needs a \"channel\" number from 1",
        property, i);
  /* The docs make both the name and the e-mail optional. */
  if (!speaker || !JSON_NODE_HOLDS_OBJECT (speaker)
      || (name && !is_string (name, FALSE))
      || (email && !is_string (email, FALSE)))
    return g_strdup_printf ("%s: item %u needs a \"speaker\" object, with "
        "an optional \"name\" and \"email\" (strings)", property, i);
  return NULL;
}

static gboolean
add_json_array (SymblOptions * options, const gchar * api_name,
    const gchar * property, const gchar * text, const gchar * example,
    ItemCheck check, GError ** error)
{
  g_autofree gchar *json = NULL;

  if (!text)
    return TRUE;
  json = json_array_option (property, text, example, check, error);
  if (!json)
    return FALSE;
  add (options, api_name, json);
  return TRUE;
}

static gboolean
add_trackers (SymblOptions * options, const SymblSettings * settings,
    GPtrArray * advice, GError ** error)
{
  g_autofree gchar *trackers = NULL;
  GError *trackers_error = NULL;

  if (settings->trackers && settings->trackers_location)
    return invalid (error, "Both trackers and trackers-location are set; "
        "set one of them");
  if (settings->trackers)
    trackers = symbl_trackers_normalise (settings->trackers,
        "the trackers property", &trackers_error);
  else if (settings->trackers_location)
    trackers = symbl_trackers_load_file (settings->trackers_location,
        &trackers_error);
  if (trackers_error) {
    g_propagate_error (error, trackers_error);
    return FALSE;
  }
  if (!trackers)
    return TRUE;
  symbl_trackers_advise (trackers, advice);
  add (options, SYMBL_API_TRACKERS, trackers);
  options->asks_for_trackers |= g_strcmp0 (trackers, "[]") != 0;
  return TRUE;
}

static gboolean
is_http_url (const gchar * text)
{
  g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri && g_uri_get_host (uri) && *g_uri_get_host (uri)
      && (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0
      || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0);
}

/* BCP-47's conventional case: the language lower, a script title, a
 * region upper (en-us -> en-US, zh-hant-tw -> zh-Hant-TW). */
static gchar *
language_tag_in_usual_case (const gchar * tag)
{
  g_autofree gchar *lower = g_ascii_strdown (tag, -1);
  g_auto (GStrv) subtags = g_strsplit (lower, "-", -1);
  guint i;

  /* After the first singleton (an extension, x-) everything stays lower. */
  for (i = 1; subtags[i] && strlen (subtags[i]) > 1; i++) {
    gchar *subtag = subtags[i];
    gsize length = strlen (subtag);

    if (length == 2) {          /* a region */
      subtag[0] = g_ascii_toupper (subtag[0]);
      subtag[1] = g_ascii_toupper (subtag[1]);
    } else if (length == 4 && g_ascii_isalpha (subtag[0])) {    /* a script */
      subtag[0] = g_ascii_toupper (subtag[0]);
    }
  }
  return g_strjoinv ("-", subtags);
}

/* Any well-formed tag goes (Symbl's list may have grown since it was
 * written); one off the documented list gets a warning. */
static gboolean
add_language_code (SymblOptions * options, const gchar * code,
    GPtrArray * advice, GError ** error)
{
  g_autofree gchar *usual = NULL;

  if (!g_regex_match_simple (SYMBL_API_LANGUAGE_TAG_PATTERN, code,
          G_REGEX_CASELESS, 0))
    return invalid (error, "language-code \"%s\" is not a BCP-47 language "
        "tag, such as en-US", code);
  usual = language_tag_in_usual_case (code);
  if (!g_strv_contains (symbl_language_codes, usual)) {
    g_autofree gchar *codes = g_strjoinv (", ",
        (gchar **) symbl_language_codes);
    g_ptr_array_add (advice, g_strdup_printf ("language-code \"%s\" is not "
            "on the list Symbl documents (%s): the API may refuse it",
            usual, codes));
  }
  add (options, SYMBL_API_LANGUAGE_CODE, usual);
  return TRUE;
}

static void
add_boolean (SymblOptions * options, const SymblSettings * settings,
    const gchar * property, const gchar * api_name, gboolean value)
{
  if (symbl_settings_is_set (settings, property))
    add (options, api_name, value ? "true" : "false");
}

/* The simple options, checked one by one. */
static gboolean
add_values (SymblOptions * options, const SymblSettings * settings,
    GPtrArray * advice, GError ** error)
{
  const SymblSettings *s = settings;

  if (s->name)
    add (options, SYMBL_API_NAME, s->name);
  if (s->webhook_url) {
    /* A webhook's URL often carries a token of its own: the error gives
     * its scheme at most. */
    if (!is_http_url (s->webhook_url)) {
      const gchar *scheme = g_uri_peek_scheme (s->webhook_url);

      return invalid (error, "webhook-url is not an http:// or https:// URL "
          "(%s%s)", scheme ? "its scheme is " : "it has no scheme",
          scheme ? scheme : "");
    }
    add (options, SYMBL_API_WEBHOOK_URL, s->webhook_url);
  }
  if (s->confidence_threshold > 0) {
    gchar number[G_ASCII_DTOSTR_BUF_SIZE];
    if (s->confidence_threshold < 0.5)
      return invalid (error, "confidence-threshold %g is out of range: "
          "Symbl takes 0.5 to 1.0", s->confidence_threshold);
    add (options, SYMBL_API_CONFIDENCE_THRESHOLD, g_ascii_formatd (number,
            sizeof number, "%.6g", s->confidence_threshold));
  }
  add_boolean (options, s, "detect-phrases", SYMBL_API_DETECT_PHRASES,
      s->detect_phrases);
  add_boolean (options, s, "detect-entities", SYMBL_API_DETECT_ENTITIES,
      s->detect_entities);
  if (s->language_code && !add_language_code (options, s->language_code,
          advice, error))
    return FALSE;
  if (s->mode != SYMBL_MODE_AUTO)
    add (options, SYMBL_API_MODE,
        s->mode == SYMBL_MODE_PHONE ? "phone" : "default");
  add_boolean (options, s, "enable-separate-recognition-per-channel",
      SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL,
      s->enable_separate_recognition_per_channel);
  add_boolean (options, s, "enable-speaker-diarization",
      SYMBL_API_ENABLE_SPEAKER_DIARIZATION, s->enable_speaker_diarization);
  if (s->diarization_speaker_count > 0) {
    g_autofree gchar *count = g_strdup_printf ("%u",
        s->diarization_speaker_count);
    add (options, SYMBL_API_DIARIZATION_SPEAKER_COUNT, count);
  }
  add_boolean (options, s, "enable-all-trackers", SYMBL_API_ENABLE_ALL_TRACKERS,
      s->enable_all_trackers);
  add_boolean (options, s, "enable-summary", SYMBL_API_ENABLE_SUMMARY,
      s->enable_summary);
  return TRUE;
}

SymblOptions *
symbl_options_new (const SymblSettings * settings, GPtrArray * advice,
    GError ** error)
{
  SymblOptions *options = g_new0 (SymblOptions, 1);
  const SymblSettings *s = settings;

  options->parameters = g_array_new (FALSE, FALSE, sizeof (Parameter));
  g_array_set_clear_func (options->parameters,
      (GDestroyNotify) parameter_clear);
  options->auto_mode = s->mode == SYMBL_MODE_AUTO;
  options->user_per_channel = symbl_settings_is_set (s,
      "enable-separate-recognition-per-channel");
  options->per_channel = s->enable_separate_recognition_per_channel;
  options->user_channel_metadata = s->channel_metadata != NULL;
  options->asks_for_trackers = s->enable_all_trackers;

  /* The docs say channelMetadata "only works when" per-channel
   * recognition is on, not that the request is refused. */
  if (s->channel_metadata && !s->enable_separate_recognition_per_channel)
    g_ptr_array_add (advice, g_strdup ("channel-metadata works only with "
            "per-channel recognition: set "
            "enable-separate-recognition-per-channel=true, or Symbl ignores "
            "it"));
  if (!add_values (options, s, advice, error)
      || !add_json_array (options, SYMBL_API_CUSTOM_VOCABULARY,
          "custom-vocabulary", s->custom_vocabulary,
          "[\"Symbl\", \"GStreamer\"]", check_phrase, error)
      || !add_json_array (options, SYMBL_API_ENTITIES, "entities", s->entities,
          "[{\"customType\": \"Company\", \"text\": \"Symbl\"}]",
          check_entity, error)
      || !add_json_array (options, SYMBL_API_CHANNEL_METADATA,
          "channel-metadata", s->channel_metadata,
          "[{\"channel\": 1, \"speaker\": {\"name\": \"Agent\"}}]",
          check_channel, error)
      || !add_trackers (options, s, advice, error))
    goto failed;
  return options;

failed:
  symbl_options_free (options);
  return NULL;
}

gboolean
symbl_options_asks_for_trackers (SymblOptions * options)
{
  return options->asks_for_trackers;
}

void
symbl_options_free (SymblOptions * options)
{
  if (!options)
    return;
  g_array_unref (options->parameters);
  g_free (options);
}

gchar *
symbl_options_get_query (SymblOptions * options, const SymblStreamInfo * info)
{
  g_autoptr (GString) query = g_string_new (NULL);
  guint i;

  for (i = 0; i < options->parameters->len; i++) {
    if (i > 0)
      g_string_append_c (query, '&');
    g_string_append (query, g_array_index (options->parameters, Parameter,
            i).encoded);
  }
  if (!info)
    return g_string_free (g_steal_pointer (&query), FALSE);

  if (options->auto_mode && info->input_rate > 0
      && info->input_rate <= PHONE_MAX_RATE)
    symbl_client_append_query (query, SYMBL_API_MODE, "phone");
  if (info->channels == 2 && !options->user_per_channel)
    symbl_client_append_query (query,
        SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL, "true");
  /* channelMetadata means nothing without per-channel recognition. */
  if (info->channels == 2 && info->channel_metadata
      && !options->user_channel_metadata
      && (!options->user_per_channel || options->per_channel))
    symbl_client_append_query (query, SYMBL_API_CHANNEL_METADATA,
        info->channel_metadata);
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static gint
by_size_descending (gconstpointer a, gconstpointer b)
{
  const Parameter *pa = *(const Parameter **) a;
  const Parameter *pb = *(const Parameter **) b;

  return (gint) strlen (pb->encoded) - (gint) strlen (pa->encoded);
}

gboolean
symbl_options_check_length (SymblOptions * options, const gchar * path,
    guint max_length, GError ** error)
{
  /* The longest the query can get once the recording is known: phone mode
   * and two speakers with long names. */
  SymblStreamInfo longest = { PHONE_MAX_RATE, 2, LONGEST_CHANNEL_METADATA };
  g_autofree gchar *query = symbl_options_get_query (options, &longest);
  g_autoptr (GPtrArray) largest = g_ptr_array_new ();
  g_autoptr (GString) culprits = g_string_new (NULL);
  gsize length = strlen (path) + 1 + strlen (query);
  guint i;

  if (length <= max_length)
    return TRUE;

  for (i = 0; i < options->parameters->len; i++)
    g_ptr_array_add (largest, &g_array_index (options->parameters,
            Parameter, i));
  g_ptr_array_sort (largest, by_size_descending);
  for (i = 0; i < MIN (largest->len, 3); i++) {
    Parameter *p = g_ptr_array_index (largest, i);
    g_string_append_printf (culprits, "%s%s %" G_GSIZE_FORMAT " bytes",
        i ? ", " : "", p->name, strlen (p->encoded));
  }
  g_set_error (error, SYMBL_OPTIONS_ERROR, SYMBL_OPTIONS_ERROR_TOO_LONG,
      "The request URL would be %" G_GSIZE_FORMAT " bytes, more than "
      "max-url-length (%u), which servers and proxies refuse: the options "
      "travel in the URL. Longest: %s. Store the trackers with Symbl's "
      "Management API and list them by id ([{\"id\": \"...\"}]), or detect "
      "every stored tracker with enable-all-trackers=true", length,
      max_length, culprits->str);
  return FALSE;
}
