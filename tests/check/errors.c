/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Bad input and failed uploads: a clear error, no request where none is
 * due, and the recording kept on disk. */
#include <glib/gstdio.h>
#include "symbltest.h"

static SymblTest t;

static GstElement *
sine_pipeline (guint n_buffers, const gchar * props)
{
  return symbl_test_pipeline ("audiotestsrc samplesperbuffer=1600 "
      "num-buffers=%u ! audio/x-raw,rate=16000,channels=1 ! "
      "symblsink name=s %s", n_buffers, props);
}

/* Asserts that going to READY fails with an error naming @needle and
 * @needle2, before any request and before anything is recorded. */
static void
expect_refused_at_ready (GstElement * pipeline, GstResourceError code,
    const gchar * needle, const gchar * needle2)
{
  g_autoptr (GError) error = symbl_test_error_at_ready (pipeline);

  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR, code),
      "%s: code %d", error->message, error->code);
  fail_unless (strstr (error->message, needle) != NULL, "\"%s\" lacks \"%s\"",
      error->message, needle);
  if (needle2)
    fail_unless (strstr (error->message, needle2) != NULL,
        "\"%s\" lacks \"%s\"", error->message, needle2);

  gst_object_unref (pipeline);
  symbl_local_server_wait_requests (t.server, 1, 100);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
}

static void
expect_trackers_refused (const gchar * trackers, const gchar * needle,
    const gchar * needle2)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = sine_pipeline (5, props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");

  g_object_set (sink, "trackers", trackers, NULL);
  gst_object_unref (sink);
  expect_refused_at_ready (pipeline, GST_RESOURCE_ERROR_SETTINGS, needle,
      needle2);
}

GST_START_TEST (test_bad_trackers_fail_at_ready)
{
  expect_trackers_refused ("[{\"name\": \"A\", ", "trackers property",
      "not valid JSON");
  expect_trackers_refused ("{\"name\": \"A\"}", "trackers property",
      "JSON array");
  expect_trackers_refused ("[{\"vocabulary\": [\"a\"]}]", "tracker 1",
      "has no \"name\"");
  expect_trackers_refused ("[{\"name\": \"Sales\"}]", "tracker 1 (\"Sales\")",
      "has no \"vocabulary\"");
  expect_trackers_refused ("[{\"name\": \"Sales\", \"vocabulary\": []}]",
      "tracker 1 (\"Sales\")", "empty \"vocabulary\"");
}

GST_END_TEST;

GST_START_TEST (test_unreadable_trackers_location_fails_at_ready)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  g_autofree gchar *missing = g_build_filename (t.spool_dir, "nope",
      "trackers.json", NULL);
  GstElement *pipeline = sine_pipeline (5, props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");

  g_object_set (sink, "trackers-location", missing, NULL);
  gst_object_unref (sink);
  expect_refused_at_ready (pipeline, GST_RESOURCE_ERROR_OPEN_READ,
      "trackers-location", missing);
}

GST_END_TEST;

GST_START_TEST (test_no_token_names_property_and_variable)
{
  g_autofree gchar *props = g_strdup_printf ("api-url=%s spool-dir=%s",
      symbl_local_server_get_url (t.server), t.spool_dir);

  g_unsetenv ("SYMBL_ACCESS_TOKEN");
  expect_refused_at_ready (sine_pipeline (5, props),
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, "access-token", "SYMBL_ACCESS_TOKEN");
}

GST_END_TEST;

GST_START_TEST (test_plain_http_to_another_host_is_refused)
{
  g_autofree gchar *props = g_strdup_printf ("api-url=http://192.0.2.1:80 "
      "access-token=%s spool-dir=%s", TEST_TOKEN, t.spool_dir);

  expect_refused_at_ready (sine_pipeline (5, props),
      GST_RESOURCE_ERROR_SETTINGS, "api-url", "https://");
}

GST_END_TEST;

/* Sets @property to @value on a symblsink that is otherwise right, and
 * expects READY to refuse it, naming the property and the character, with
 * nothing sent and nothing recorded. */
static void
expect_control_refused (const gchar * property, const gchar * value,
    const gchar * where)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = sine_pipeline (5, props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  g_autofree gchar *needle = g_strdup_printf ("%s contains a control "
      "character", property);

  g_object_set (sink, property, value, NULL);
  gst_object_unref (sink);
  expect_refused_at_ready (pipeline, GST_RESOURCE_ERROR_SETTINGS, needle,
      where);
}

/* A CR LF in a header's value would add a header (or a request); in a URL,
 * it would end the request line. */
GST_START_TEST (test_control_characters_are_refused_at_ready)
{
  /* Headers. */
  expect_control_refused ("user-agent", "ua\r\nX-Injected: 1",
      "(\\r) at position 2");
  expect_control_refused ("app-id", "app\nX-Injected: 1",
      "(\\n) at position 3");
  /* URLs, and their queries. */
  expect_control_refused ("webhook-url",
      "https://example.com/hook\r\nX-Injected: 1", "(\\r) at position 24");
  expect_control_refused ("api-url", "http://127.0.0.1:1/\tv1", "(\\t)");
  expect_control_refused ("conversation-id", "123\x7f", "(\\x7f)");
  expect_control_refused ("conversation-name", "Weekly\x1b[2J", "(\\x1b)");
  expect_control_refused ("proxy", "http://proxy:3128\r\n", "(\\r)");
}

GST_END_TEST;

/* A secret is named, never shown. */
GST_START_TEST (test_control_character_in_a_secret_is_not_echoed)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = sine_pipeline (5, props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  g_autoptr (GError) error = NULL;

  g_object_set (sink, "access-token", "s3cr3t\r\nX-Injected: 1", NULL);
  gst_object_unref (sink);
  error = symbl_test_error_at_ready (pipeline);
  fail_unless (strstr (error->message, "access-token contains a control "
          "character (\\r) at position 6") != NULL, "%s", error->message);
  fail_if (strstr (error->message, "s3cr3t"), "%s", error->message);
  fail_if (strstr (error->message, "Injected"), "%s", error->message);
  gst_object_unref (pipeline);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
}

GST_END_TEST;

/* What comes from the environment reaches headers and URLs too: refused
 * the same way, naming the variable, never showing a secret. */
GST_START_TEST (test_control_characters_in_the_environment_are_refused)
{
  g_autofree gchar *token_props = g_strdup_printf ("access-token=%s "
      "spool-dir=%s", TEST_TOKEN, t.spool_dir);
  g_autofree gchar *url_props = g_strdup_printf ("api-url=%s spool-dir=%s",
      symbl_local_server_get_url (t.server), t.spool_dir);
  g_autoptr (GError) error = NULL;
  GstElement *pipeline;

  g_setenv ("SYMBL_API_URL", "http://127.0.0.1:1/\r\nX-Injected: 1", TRUE);
  expect_refused_at_ready (sine_pipeline (5, token_props),
      GST_RESOURCE_ERROR_SETTINGS, "The SYMBL_API_URL environment variable "
      "contains a control character", "(\\r) at position 19");
  g_unsetenv ("SYMBL_API_URL");

  g_setenv ("SYMBL_APP_ID", "app", TRUE);
  g_setenv ("SYMBL_APP_SECRET", "s3cr3t\nX-Injected: 1", TRUE);
  pipeline = sine_pipeline (5, url_props);
  error = symbl_test_error_at_ready (pipeline);
  g_unsetenv ("SYMBL_APP_ID");
  g_unsetenv ("SYMBL_APP_SECRET");
  fail_unless (strstr (error->message, "The SYMBL_APP_SECRET environment "
          "variable contains a control character (\\n) at position 6")
      != NULL, "%s", error->message);
  fail_if (strstr (error->message, "s3cr3t"), "%s", error->message);
  gst_object_unref (pipeline);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
}

GST_END_TEST;

/* Runs a 0.5 s recording into a server that fails it as @fault says and
 * checks the error: its code, its text, its details, and the recording
 * left on disk. Returns the error's text. */
static gchar *
expect_upload_error (const gchar * fault, GstResourceError code,
    guint status, const gchar * needle)
{
  g_autofree gchar *sink_props = symbl_test_sink_props (&t);
  g_autofree gchar *props = g_strdup_printf ("%s retries=0", sink_props);
  GstElement *pipeline = sine_pipeline (5, props);
  GList *messages;
  GstMessage *msg;
  const GstStructure *details = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;
  GPtrArray *requests;
  SymblRecordedRequest *r;
  const gchar *location;
  guint details_status = 0;
  gchar *kept = NULL, *sent = NULL;
  gsize kept_size, sent_size;

  fail_unless (symbl_local_server_add_fault_text (t.server, fault, NULL));
  messages = symbl_test_run (pipeline, 60);
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_if (symbl_test_find (messages, GST_MESSAGE_EOS, NULL),
      "no EOS after a failed upload");
  msg = symbl_test_expect_error (messages, needle);
  gst_message_parse_error (msg, &error, &debug);
  gst_message_parse_error_details (msg, &details);

  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR, code),
      "%s: code %d", error->message, error->code);
  fail_unless (details != NULL);
  gst_structure_get_uint (details, "http-status-code", &details_status);
  fail_unless_equals_int (details_status, status);
  fail_if (strstr (error->message, TEST_TOKEN) || strstr (debug, TEST_TOKEN),
      "the token leaked into the error");

  /* The recording is where the error says, whole. */
  location = gst_structure_get_string (details, "spool-location");
  fail_unless (location != NULL);
  fail_unless (strstr (error->message, location) != NULL);
  requests = symbl_test_requests (&t, 1);
  r = g_ptr_array_index (requests, 0);
  fail_unless (g_file_get_contents (location, &kept, &kept_size, NULL));
  if (r->body_path) {
    fail_unless (g_file_get_contents (r->body_path, &sent, &sent_size, NULL));
    fail_unless (kept_size == sent_size && memcmp (kept, sent, kept_size) == 0);
  }
  fail_unless_equals_uint64 (symbl_test_discover (location, NULL),
      GST_SECOND / 2);

  g_free (kept);
  g_free (sent);
  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  return g_strdup (error->message);
}

GST_START_TEST (test_401_is_not_authorized_with_the_api_message)
{
  gchar *message = expect_upload_error ("status=401,body={\"message\": "
      "\"Token validation failed for provided token.\"}",
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, 401,
      "HTTP 401 Unauthorized: Token validation failed for provided "
      "token. The recording is kept in ");

  /* The API's message ends a sentence of its own. */
  fail_if (strstr (message, ".."), "%s", message);
  g_free (message);
}

GST_END_TEST;

GST_START_TEST (test_403_is_not_authorized)
{
  g_free (expect_upload_error ("status=403", GST_RESOURCE_ERROR_NOT_AUTHORIZED,
          403, "HTTP 403"));
}

GST_END_TEST;

GST_START_TEST (test_server_error_keeps_the_recording)
{
  g_free (expect_upload_error ("status=500,body={\"message\": \"boom\"}",
          GST_RESOURCE_ERROR_WRITE, 500, "HTTP 500 Internal Server Error: "
          "boom"));
}

GST_END_TEST;

GST_START_TEST (test_bad_request_shows_the_api_message)
{
  g_free (expect_upload_error ("status=400,body={\"message\": \"Invalid "
          "trackers\"}", GST_RESOURCE_ERROR_WRITE, 400, "Invalid trackers"));
}

GST_END_TEST;

GST_START_TEST (test_malformed_replies)
{
  g_free (expect_upload_error ("reply=this is not json",
          GST_RESOURCE_ERROR_FAILED, 201, "the reply is not a JSON object"));
  symbl_test_teardown (&t);
  symbl_test_setup (&t);
  g_free (expect_upload_error ("reply={\"conversationId\": \"123\"}",
          GST_RESOURCE_ERROR_FAILED, 201, "lacks a jobId"));
  symbl_test_teardown (&t);
  symbl_test_setup (&t);
  g_free (expect_upload_error ("reply={\"jobId\": \"abc\"}",
          GST_RESOURCE_ERROR_FAILED, 201, "lacks a conversationId"));
}

GST_END_TEST;

/* json-glib cuts "a\u0000b" to "a", another job; "/../" would change the
 * path polled. Neither is used: the recording is kept. */
GST_START_TEST (test_unusable_ids_in_the_reply)
{
  g_free (expect_upload_error ("reply={\"conversationId\": \"123\", "
          "\"jobId\": \"a\\u0000b\"}", GST_RESOURCE_ERROR_FAILED, 201,
          "Symbl took the recording, but the reply has an unusable jobId "
          "\"a\\357\\277\\275b\""));
  symbl_test_teardown (&t);
  symbl_test_setup (&t);
  g_free (expect_upload_error ("reply={\"conversationId\": \"123\", "
          "\"jobId\": \"x/../../v1/conversations/9\"}",
          GST_RESOURCE_ERROR_FAILED, 201,
          "the reply has an unusable jobId \"x/../../v1/conversations/9\""));
  symbl_test_teardown (&t);
  symbl_test_setup (&t);
  g_free (expect_upload_error ("reply={\"conversationId\": \"1 2\", "
          "\"jobId\": \"abc\"}", GST_RESOURCE_ERROR_FAILED, 201,
          "the reply has an unusable conversationId \"1 2\""));
}

GST_END_TEST;

GST_START_TEST (test_connection_refused)
{
  g_autofree gchar *props = g_strdup_printf ("api-url=http://127.0.0.1:%u "
      "access-token=%s spool-dir=%s retries=0", symbl_test_closed_port (),
      TEST_TOKEN, t.spool_dir);
  GstElement *pipeline = sine_pipeline (5, props);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *msg;
  const GstStructure *details;

  msg = symbl_test_expect_error (messages, "Could not upload the recording "
      "(POST http://127.0.0.1:");
  gst_message_parse_error_details (msg, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  fail_if (gst_structure_has_field (details, "http-status-code"));

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_stream_without_data)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = sine_pipeline (0, props);
  GList *messages = symbl_test_run (pipeline, 30);

  symbl_test_expect_error (messages, "nothing was uploaded");
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* NULL while the server holds the upload: back within a second, and the
 * recording kept. */
GST_START_TEST (test_cancel_a_stalled_upload)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = sine_pipeline (5, props);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *warning;
  const GstStructure *details;
  gint64 start;

  fail_unless (symbl_local_server_add_fault_text (t.server, "stall=0", NULL));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Long enough for the 0.5 s recording to end and its upload to begin. */
  g_usleep (symbl_test_us (G_USEC_PER_SEC));

  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_READY);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC), "stopping took %" G_GINT64_FORMAT " us",
      g_get_monotonic_time () - start);

  warning = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (warning != NULL, "no warning about the kept recording");
  gst_message_parse_warning_details (warning, &details);
  fail_unless (details != NULL);
  fail_unless_equals_uint64 (symbl_test_discover (gst_structure_get_string
          (details, "spool-location"), NULL), GST_SECOND / 2);
  fail_if (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_EOS));

  gst_message_unref (warning);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A pipeline stopped at READY and started again records anew: the
 * second recording is uploaded alone, the first is kept. */
GST_START_TEST (test_restart_from_ready_records_anew)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc name=src "
      "is-live=true samplesperbuffer=1600 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink %s", props);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *warning;
  const GstStructure *details;
  GPtrArray *requests;
  GList *messages;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_usleep (symbl_test_us (G_USEC_PER_SEC));
  gst_element_set_state (pipeline, GST_STATE_READY);
  warning = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (warning != NULL, "no warning about the kept recording");
  gst_message_parse_warning_details (warning, &details);
  fail_unless (symbl_test_discover (gst_structure_get_string (details,
              "spool-location"), NULL) >= GST_SECOND / 2);

  g_object_set (src, "is-live", FALSE, "num-buffers", 5, NULL);
  messages = symbl_test_run (pipeline, 30);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  requests = symbl_test_requests (&t, 1);
  fail_unless_equals_uint64 (symbl_test_discover (((SymblRecordedRequest *)
              g_ptr_array_index (requests, 0))->body_path, NULL),
      GST_SECOND / 2);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  gst_message_unref (warning);
  gst_object_unref (src);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
errors_suite (void)
{
  Suite *s = suite_create ("errors");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_bad_trackers_fail_at_ready);
  tcase_add_test (tc, test_unreadable_trackers_location_fails_at_ready);
  tcase_add_test (tc, test_no_token_names_property_and_variable);
  tcase_add_test (tc, test_plain_http_to_another_host_is_refused);
  tcase_add_test (tc, test_control_characters_are_refused_at_ready);
  tcase_add_test (tc, test_control_character_in_a_secret_is_not_echoed);
  tcase_add_test (tc, test_control_characters_in_the_environment_are_refused);
  tcase_add_test (tc, test_401_is_not_authorized_with_the_api_message);
  tcase_add_test (tc, test_403_is_not_authorized);
  tcase_add_test (tc, test_server_error_keeps_the_recording);
  tcase_add_test (tc, test_bad_request_shows_the_api_message);
  tcase_add_test (tc, test_malformed_replies);
  tcase_add_test (tc, test_unusable_ids_in_the_reply);
  tcase_add_test (tc, test_connection_refused);
  tcase_add_test (tc, test_stream_without_data);
  tcase_add_test (tc, test_cancel_a_stalled_upload);
  tcase_add_test (tc, test_restart_from_ready_records_anew);
  return s;
}

GST_CHECK_MAIN (errors);
