/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Every option of the Async file endpoints: its exact encoding in the
 * query, nothing sent when unset, the error each bad value gets at READY,
 * the URL's length, and advice about trackers. */
#include "symbltest.h"

static SymblTest t;

/* Half a second at @rate Hz through a symblsink named s; @configure sets
 * its properties before it runs. */
static GList *
record_at (guint rate, void (*configure) (GstElement * sink))
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=%u num-buffers=5 ! audio/x-raw,rate=%u,channels=1 ! "
      "symblsink name=s %s", rate / 10, rate, props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  GList *messages;

  if (configure)
    configure (sink);
  messages = symbl_test_run (pipeline, 30);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return messages;
}

static void
set_everything (GstElement * sink)
{
  g_object_set (sink,
      "conversation-name", "Weekly sync & planning",
      "webhook-url", "https://example.com/hooks/symbl?team=a",
      "custom-vocabulary", "[\"Symbl\", \"GStreamer\"]",
      "confidence-threshold", 0.7,
      "detect-phrases", TRUE,
      "detect-entities", FALSE,
      "entities", "[{\"customType\": \"Company\", \"text\": \"Symbl\"}]",
      "language-code", "en-GB",
      "enable-separate-recognition-per-channel", TRUE,
      "channel-metadata", "[{\"channel\": 1, \"speaker\": {\"name\": "
      "\"Agent\", \"email\": \"agent@example.com\"}}]",
      "enable-speaker-diarization", TRUE,
      "diarization-speaker-count", 2,
      "enable-all-trackers", TRUE,
      "enable-summary", TRUE,
      "trackers", "[{\"id\": \"5123033831841280\"}]", NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "mode", "phone");
}

GST_START_TEST (test_every_option_is_encoded_as_the_api_wants)
{
  GList *messages = record_at (16000, set_everything);
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  const gchar *expected[][2] = {
    {"name", "Weekly sync & planning"},
    {"webhookUrl", "https://example.com/hooks/symbl?team=a"},
    {"confidenceThreshold", "0.7"},
    {"detectPhrases", "true"},
    {"detectEntities", "false"},
    {"languageCode", "en-GB"},
    {"mode", "phone"},
    {"enableSeparateRecognitionPerChannel", "true"},
    {"enableSpeakerDiarization", "true"},
    {"diarizationSpeakerCount", "2"},
    {"enableAllTrackers", "true"},
    {"enableSummary", "true"},
    {"customVocabulary", "[\"Symbl\",\"GStreamer\"]"},
    {"entities", "[{\"customType\":\"Company\",\"text\":\"Symbl\"}]"},
    {"channelMetadata", "[{\"channel\":1,\"speaker\":{\"name\":\"Agent\","
          "\"email\":\"agent@example.com\"}}]"},
    {"trackers", "[{\"id\":\"5123033831841280\"}]"},
  };
  guint i;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (g_hash_table_size (r->params),
      G_N_ELEMENTS (expected));
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    fail_unless_equals_string (g_hash_table_lookup (r->params,
            expected[i][0]), expected[i][1]);

  /* One parameter each, everything reserved percent-encoded: JSON and
   * URLs travel whole, never as repeated keys. */
  fail_unless (strstr (r->query, "name=Weekly%20sync%20%26%20planning&")
      != NULL, "%s", r->query);
  fail_unless (strstr (r->query, "webhookUrl=https%3A%2F%2Fexample.com%2F"
          "hooks%2Fsymbl%3Fteam%3Da&") != NULL, "%s", r->query);
  fail_unless (strstr (r->query, "customVocabulary=%5B%22Symbl%22%2C%22"
          "GStreamer%22%5D") != NULL, "%s", r->query);

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* What gst-inspect shows as the default, set on purpose, still means
 * "unset": 0 for both numbers. */
static void
set_the_defaults (GstElement * sink)
{
  GParamSpec *threshold = g_object_class_find_property (G_OBJECT_GET_CLASS
      (sink), "confidence-threshold");
  GParamSpec *count = g_object_class_find_property (G_OBJECT_GET_CLASS
      (sink), "diarization-speaker-count");

  fail_unless_equals_float (G_PARAM_SPEC_DOUBLE (threshold)->default_value,
      0.0);
  fail_unless_equals_int (G_PARAM_SPEC_UINT (count)->default_value, 0);
  g_object_set (sink, "confidence-threshold", 0.0,
      "diarization-speaker-count", 0, NULL);
}

/* The API's defaults apply to what the user left alone. */
GST_START_TEST (test_unset_options_are_not_sent)
{
  GList *messages = record_at (16000, NULL);
  SymblRecordedRequest *r = symbl_test_the_request (&t);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (g_hash_table_size (r->params), 0);
  fail_unless (r->query == NULL || *r->query == '\0', "%s", r->query);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_defaults_set_on_purpose_are_not_sent)
{
  GList *messages = record_at (16000, set_the_defaults);
  SymblRecordedRequest *r = symbl_test_the_request (&t);

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  fail_unless_equals_int (g_hash_table_size (r->params), 0);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* mode auto: phone for narrowband input, else nothing. */
GST_START_TEST (test_mode_auto_follows_the_input_rate)
{
  GList *messages = record_at (8000, NULL);
  GPtrArray *requests;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  symbl_test_messages_free (messages);
  symbl_test_messages_free (record_at (16000, NULL));

  requests = symbl_test_requests (&t, 2);
  fail_unless_equals_string (g_hash_table_lookup (((SymblRecordedRequest *)
              g_ptr_array_index (requests, 0))->params, "mode"), "phone");
  fail_if (g_hash_table_contains (((SymblRecordedRequest *)
              g_ptr_array_index (requests, 1))->params, "mode"));
  g_ptr_array_unref (requests);
}

GST_END_TEST;

static const struct
{
  const gchar *property;
  const gchar *value;
  const gchar *needle;
  const gchar *unsaid;          /* what the error must not repeat */
} invalid[] = {
  {"language-code", "en_US", "language-code \"en_US\" is not a BCP-47 "
        "language tag, such as en-US"},
  {"language-code", "en-US-", "language-code \"en-US-\" is not a "
        "BCP-47 language tag"},
  {"confidence-threshold", "0.3", "confidence-threshold 0.3 is out of "
        "range: Symbl takes 0.5 to 1.0"},
  {"entities", "[{\"customType\": \"Company\"}]", "entities: entity 1 must "
        "be {\"customType\""},
  {"entities", "{", "entities is not valid JSON"},
  {"custom-vocabulary", "{\"Symbl\": 1}", "custom-vocabulary must be a "
        "JSON array"},
  {"custom-vocabulary", "[\"Symbl\", 7]", "custom-vocabulary: item 2 must "
        "be a non-empty string"},
  {"channel-metadata", "[{\"channel\": 1}]", "channel-metadata: item 1 "
        "needs a \"speaker\" object"},
  {"webhook-url", "ftp://example.com/hook?token=s3cret", "webhook-url is "
        "not an http:// or https:// URL (its scheme is ftp)", "s3cret"},
  {"webhook-url", "hooks.example.com/h?token=s3cret", "webhook-url is not "
        "an http:// or https:// URL (it has no scheme)", "s3cret"},
  {"trackers-location", "/nonexistent.json", "Both trackers and "
        "trackers-location are set"},
};

GST_START_TEST (test_each_bad_value_is_refused_at_ready)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink name=s %s", props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  g_autoptr (GError) error = NULL;

  gst_util_set_object_arg (G_OBJECT (sink), invalid[__i__].property,
      invalid[__i__].value);
  if (g_str_equal (invalid[__i__].property, "trackers-location"))
    g_object_set (sink, "trackers", "[]", NULL);
  error = symbl_test_error_at_ready (pipeline);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", error->message);
  fail_unless (strstr (error->message, invalid[__i__].needle) != NULL,
      "\"%s\" lacks \"%s\"", error->message, invalid[__i__].needle);
  fail_if (invalid[__i__].unsaid && strstr (error->message,
          invalid[__i__].unsaid), "\"%s\" repeats \"%s\"", error->message,
      invalid[__i__].unsaid);
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Two hundred inline trackers of fifty phrases overflow any server's
 * request line: refused before recording, with the way out. */
GST_START_TEST (test_a_url_too_long_is_refused_at_ready)
{
  g_autoptr (GString) trackers = g_string_new ("[");
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink name=s %s custom-vocabulary=\"[\\\"Symbl\\\"]\"", props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  GList *messages;
  guint i, j;

  for (i = 0; i < 200; i++) {
    g_string_append_printf (trackers, "%s{\"name\": \"Topic %u\", "
        "\"vocabulary\": [", i ? ", " : "", i);
    for (j = 0; j < 50; j++)
      g_string_append_printf (trackers, "%s\"phrase %u of topic %u\"",
          j ? ", " : "", j, i);
    g_string_append (trackers, "]}");
  }
  g_string_append (trackers, "]");
  g_object_set (sink, "trackers", trackers->str, NULL);

  messages = symbl_test_run (pipeline, 30);
  symbl_test_expect_error (messages, "more than max-url-length (8000)");
  symbl_test_expect_error (messages, "Longest: trackers ");
  symbl_test_expect_error (messages, "list them by id ([{\"id\": \"...\"}])"
      ", or detect every stored tracker with enable-all-trackers=true");
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  symbl_test_messages_free (messages);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* What the API takes is taken: sent (in BCP-47's usual case for a
 * language), with a warning when Symbl may not act on it. */
static const struct
{
  const gchar *property;
  const gchar *value;
  gboolean per_channel;
  const gchar *parameter;
  const gchar *sent;
  const gchar *warning;         /* NULL: no warning at all */
} accepted[] = {
  {"language-code", "EN-gb", FALSE, "languageCode", "en-GB", NULL},
  {"language-code", "sw-KE", FALSE, "languageCode", "sw-KE",
      "language-code \"sw-KE\" is not on the list Symbl documents"},
  {"language-code", "zh-hant-tw", FALSE, "languageCode", "zh-Hant-TW",
      "language-code \"zh-Hant-TW\" is not on the list Symbl documents"},
  {"channel-metadata", "[{\"channel\": 1, \"speaker\": {\"email\": "
        "\"a@example.com\"}}]", TRUE, "channelMetadata",
      "[{\"channel\":1,\"speaker\":{\"email\":\"a@example.com\"}}]", NULL},
  {"channel-metadata", "[{\"channel\": 1, \"speaker\": {\"name\": \"A\"}}]",
        FALSE, "channelMetadata",
        "[{\"channel\":1,\"speaker\":{\"name\":\"A\"}}]",
      "channel-metadata works only with per-channel recognition: set "
        "enable-separate-recognition-per-channel=true"},
};

static guint accepted_index;

static void
set_accepted (GstElement * sink)
{
  gst_util_set_object_arg (G_OBJECT (sink), accepted[accepted_index].property,
      accepted[accepted_index].value);
  if (accepted[accepted_index].per_channel)
    g_object_set (sink, "enable-separate-recognition-per-channel", TRUE, NULL);
}

GST_START_TEST (test_what_the_api_takes_is_taken)
{
  GList *messages;
  SymblRecordedRequest *r;
  g_autofree gchar *warnings = NULL;

  accepted_index = __i__;
  messages = record_at (16000, set_accepted);
  warnings = symbl_test_warnings (messages);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"),
      "no job for %s=%s", accepted[__i__].property, accepted[__i__].value);
  r = symbl_test_the_request (&t);
  fail_unless_equals_int (r->status, 201);
  fail_unless_equals_string (g_hash_table_lookup (r->params,
          accepted[__i__].parameter), accepted[__i__].sent);
  if (accepted[__i__].warning)
    fail_unless (strstr (warnings, accepted[__i__].warning) != NULL,
        "warnings: \"%s\"", warnings);
  else
    fail_unless_equals_string (warnings, "");

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

static void
set_questionable_trackers (GstElement * sink)
{
  g_object_set (sink, "trackers", "[{\"name\": \"Pricing\", \"vocabulary\": "
      "[\"discount\", \"discount\", \"how much?\"]}]", NULL);
}

/* Best practices broken: advice on the bus, and the trackers still sent. */
GST_START_TEST (test_trackers_against_best_practices_get_advice)
{
  GList *messages = record_at (16000, set_questionable_trackers);
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  g_autofree gchar *advice = symbl_test_warnings (messages);

  fail_unless (strstr (advice, "tracker 1 (\"Pricing\") has 3 phrases; "
          "Symbl recommends 5 to 50") != NULL, "%s", advice);
  fail_unless (strstr (advice, "repeats the phrase \"discount\"")
      != NULL, "%s", advice);
  fail_unless (strstr (advice, "\"how much?\" has punctuation other "
          "than . ' -") != NULL, "%s", advice);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless (strstr (g_hash_table_lookup (r->params, "trackers"),
          "how much?") != NULL);

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

static Suite *
options_suite (void)
{
  Suite *s = suite_create ("options");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_every_option_is_encoded_as_the_api_wants);
  tcase_add_test (tc, test_unset_options_are_not_sent);
  tcase_add_test (tc, test_defaults_set_on_purpose_are_not_sent);
  tcase_add_test (tc, test_mode_auto_follows_the_input_rate);
  tcase_add_loop_test (tc, test_each_bad_value_is_refused_at_ready, 0,
      G_N_ELEMENTS (invalid));
  tcase_add_test (tc, test_a_url_too_long_is_refused_at_ready);
  tcase_add_test (tc, test_trackers_against_best_practices_get_advice);
  tcase_add_loop_test (tc, test_what_the_api_takes_is_taken, 0,
      G_N_ELEMENTS (accepted));
  return s;
}

GST_CHECK_MAIN (options);
