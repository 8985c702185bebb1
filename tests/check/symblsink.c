/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblsink end to end against the local server: what reaches the server,
 * what the bus says, and in which order. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include "symbltest.h"

#define TRACKERS "[{\"name\":\"COVID-19\",\"vocabulary\":" \
    "[\"social distancing\",\"cover your face with mask\",\"vaccination\"]}]"

static SymblTest t;

/* Records @n_buffers of 0.1 s of a 440 Hz sine at 16 kHz mono through a
 * symblsink named "s" configured by @extra. */
static GList *
record_sine (guint n_buffers, const gchar * extra, GstElement ** sink_out)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc freq=440 "
      "samplesperbuffer=1600 num-buffers=%u ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink name=s %s %s", n_buffers, props, extra);
  GList *messages;

  if (sink_out)
    *sink_out = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  messages = symbl_test_run (pipeline, 60);
  gst_object_unref (pipeline);
  return messages;
}

static JsonObject *
parse_object (const gchar * text)
{
  g_autoptr (JsonNode) node = json_from_string (text, NULL);

  fail_unless (node && JSON_NODE_HOLDS_OBJECT (node), "not an object: %s",
      text);
  return json_node_dup_object (node);
}

GST_START_TEST (test_request_is_exactly_what_the_api_wants)
{
  /* The quoting a shell user types: trackers="[{\"name\": ...}]" */
  g_autofree gchar *escaped = g_strescape (TRACKERS, NULL);
  g_autofree gchar *extra = g_strdup_printf ("trackers=\"%s\"", escaped);
  GList *messages = record_sine (20, extra, NULL);
  GPtrArray *requests;
  SymblRecordedRequest *r;
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (GBytes) reference = NULL;
  g_autofree gchar *length = NULL;
  gchar *container = NULL;

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  requests = symbl_test_requests (&t, 1);
  r = g_ptr_array_index (requests, 0);

  fail_unless_equals_string (r->method, "POST");
  fail_unless_equals_string (r->path, "/v1/process/audio");
  fail_unless_equals_string (g_hash_table_lookup (r->params, "trackers"),
      TRACKERS);
  fail_unless_equals_int (g_hash_table_size (r->params), 1);
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "authorization"), "Bearer " TEST_TOKEN);
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), "audio/wav");
  fail_unless (g_hash_table_lookup (r->headers, "transfer-encoding") == NULL);
  length = g_strdup_printf ("%" G_GUINT64_FORMAT, r->body_length);
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-length"), length);
  fail_unless_equals_int (r->status, 201);

  /* The body is a WAV of exactly the samples pushed: 2 s at 16 kHz. */
  fail_unless_equals_uint64 (symbl_test_discover (r->body_path, &container),
      2 * GST_SECOND);
  fail_unless_equals_string (container, "audio/x-wav");
  decoded = symbl_test_decode (r->body_path);
  reference = symbl_test_reference_sine (440, 32000);
  fail_unless (g_bytes_equal (decoded, reference),
      "decoded %" G_GSIZE_FORMAT " bytes differ from the %" G_GSIZE_FORMAT
      " pushed", g_bytes_get_size (decoded), g_bytes_get_size (reference));

  g_free (container);
  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_job_message_carries_the_ids_before_eos)
{
  GstElement *sink = NULL;
  GList *messages = record_sine (5, "", &sink);
  GPtrArray *requests = symbl_test_requests (&t, 1);
  SymblRecordedRequest *r = g_ptr_array_index (requests, 0);
  JsonObject *reply = parse_object (r->reply);
  gint job = symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job");
  gint eos = symbl_test_index (messages, GST_MESSAGE_EOS, NULL);
  const GstStructure *s;
  GstMessage *msg;
  guint64 size, duration;

  fail_unless (job >= 0, "no symbl-job message");
  fail_unless (eos > job, "EOS (%d) must come after symbl-job (%d)", eos, job);
  fail_unless_equals_int (g_list_length (messages), 2);

  msg = g_list_nth_data (messages, job);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (sink),
      "symbl-job should come from the symblsink the user named");
  s = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (s, "conversation-id"),
      json_object_get_string_member (reply, "conversationId"));
  fail_unless_equals_string (gst_structure_get_string (s, "job-id"),
      json_object_get_string_member (reply, "jobId"));
  fail_unless_equals_string (gst_structure_get_string (s, "media-type"),
      "audio");
  fail_unless_equals_string (gst_structure_get_string (s, "format"), "wav");
  fail_unless (gst_structure_get_uint64 (s, "size", &size));
  fail_unless_equals_uint64 (size, r->body_length);
  fail_unless (gst_structure_get_uint64 (s, "duration", &duration));
  fail_unless_equals_uint64 (duration, GST_SECOND / 2);
  fail_if (gst_structure_has_field (s, "location"));
  /* One upload, under the 4 hours cap: no segments. */
  fail_if (gst_structure_has_field (s, "segment"));

  /* Uploaded, so the spool file is gone. */
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  json_object_unref (reply);
  gst_object_unref (sink);
  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_keep_spool_keeps_the_uploaded_file)
{
  GList *messages = record_sine (5, "keep-spool=true", NULL);
  GPtrArray *requests = symbl_test_requests (&t, 1);
  SymblRecordedRequest *r = g_ptr_array_index (requests, 0);
  GstMessage *msg = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  const gchar *location;
  g_autofree gchar *kept = NULL;
  g_autofree gchar *sent = NULL;
  gsize kept_size, sent_size;

  fail_unless (msg != NULL);
  location = gst_structure_get_string (gst_message_get_structure (msg),
      "location");
  fail_unless (location && g_str_has_prefix (location, t.spool_dir));
  fail_unless (g_str_has_suffix (location, ".wav"), "%s", location);
  fail_unless (g_file_get_contents (location, &kept, &kept_size, NULL));
  fail_unless (g_file_get_contents (r->body_path, &sent, &sent_size, NULL));
  fail_unless (kept_size == sent_size && memcmp (kept, sent, kept_size) == 0);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

static const struct
{
  const gchar *format;          /* symblsink's format */
  const gchar *uploaded;        /* the format symbl-job reports */
  const gchar *content_type;
  gboolean lossless;
} formats[] = {
  {"wav", "wav", "audio/wav", TRUE},
  {"flac", "flac", NULL, TRUE},
  {"mp3", "mp3", "audio/mpeg", FALSE},
  {"opus", "opus", NULL, FALSE},
};

GST_START_TEST (test_each_format)
{
  g_autofree gchar *extra = g_strdup_printf ("format=%s",
      formats[__i__].format);
  GList *messages = record_sine (30, extra, NULL);
  GPtrArray *requests = symbl_test_requests (&t, 1);
  SymblRecordedRequest *r = g_ptr_array_index (requests, 0);
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (GDir) dir = NULL;
  const gchar *left;
  GstClockTime duration;
  gdouble freq;

  fail_unless (job != NULL, "%s: no symbl-job", formats[__i__].format);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (job), "format"), formats[__i__].uploaded);
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), formats[__i__].content_type);

  duration = symbl_test_discover (r->body_path, NULL);
  fail_unless (duration > 2950 * GST_MSECOND && duration < 3100 * GST_MSECOND,
      "%s: duration %" GST_TIME_FORMAT, formats[__i__].format,
      GST_TIME_ARGS (duration));

  decoded = symbl_test_decode (r->body_path);
  if (formats[__i__].lossless) {
    g_autoptr (GBytes) reference = symbl_test_reference_sine (440, 48000);
    fail_unless (g_bytes_equal (decoded, reference), "%s: samples differ",
        formats[__i__].format);
  }
  freq = symbl_test_estimate_frequency (decoded);
  fail_unless (freq > 430 && freq < 450, "%s: decoded a %.1f Hz tone",
      formats[__i__].format, freq);
  /* Uploaded: neither the recording nor a manifest is left behind. */
  dir = g_dir_open (t.spool_dir, 0, NULL);
  left = dir ? g_dir_read_name (dir) : NULL;
  fail_if (left, "%s: %s left in spool-dir", formats[__i__].format, left);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Stereo 48 kHz float in, 16 kHz mono speech out. */
GST_START_TEST (test_any_raw_audio_is_converted)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc freq=300 "
      "samplesperbuffer=4800 num-buffers=15 ! "
      "audio/x-raw,format=F32LE,rate=48000,channels=2 ! symblsink %s", props);
  GList *messages = symbl_test_run (pipeline, 60);
  GPtrArray *requests = symbl_test_requests (&t, 1);
  SymblRecordedRequest *r = g_ptr_array_index (requests, 0);
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GBytes) decoded = NULL;
  gdouble freq;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_uint64 (symbl_test_discover (r->body_path, NULL),
      1500 * GST_MSECOND);
  decoded = symbl_test_decode (r->body_path);
  freq = symbl_test_estimate_frequency (decoded);
  fail_unless (freq > 295 && freq < 305, "decoded a %.1f Hz tone", freq);
  /* 16-bit mono at 16 kHz: 1.5 s is 48000 bytes of samples. */
  fail_unless (r->body_length >= 48000 + 44 && r->body_length < 48000 + 100,
      "%" G_GUINT64_FORMAT " bytes", r->body_length);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_trackers_location_and_environment_variables)
{
  g_autofree gchar *file = g_build_filename (t.spool_dir, "..",
      "symbl-test-trackers.json", NULL);
  g_autofree gchar *extra = g_strdup_printf ("trackers-location=%s", file);
  GstElement *pipeline;
  GList *messages;
  GPtrArray *requests;
  SymblRecordedRequest *r;

  fail_unless (g_file_set_contents (file, "[\n  {\"name\": \"COVID-19\",\n"
          "   \"vocabulary\": [\"social distancing\", "
          "\"cover your face with mask\", \"vaccination\"]}\n]\n", -1, NULL));
  g_setenv ("SYMBL_ACCESS_TOKEN", TEST_TOKEN, TRUE);
  g_setenv ("SYMBL_API_URL", symbl_local_server_get_url (t.server), TRUE);

  pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink spool-dir=%s %s", t.spool_dir, extra);
  messages = symbl_test_run (pipeline, 60);
  g_unsetenv ("SYMBL_ACCESS_TOKEN");
  g_unsetenv ("SYMBL_API_URL");
  g_unlink (file);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  requests = symbl_test_requests (&t, 1);
  r = g_ptr_array_index (requests, 0);
  fail_unless_equals_string (g_hash_table_lookup (r->params, "trackers"),
      TRACKERS);
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "authorization"), "Bearer " TEST_TOKEN);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* decodebin links to symblsink when the pad appears, in PAUSED. */
GST_START_TEST (test_dynamic_link_from_decodebin)
{
  g_autofree gchar *file = g_build_filename (t.spool_dir, "..",
      "symbl-test-meeting.ogg", NULL);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *encode = symbl_test_pipeline ("audiotestsrc num-buffers=20 ! "
      "audio/x-raw,rate=48000,channels=2 ! opusenc ! oggmux ! "
      "filesink location=%s", file);
  GstElement *pipeline;
  GList *messages;
  SymblRecordedRequest *r;
  g_autoptr (GBytes) pcm = NULL;

  symbl_test_messages_free (symbl_test_run (encode, 30));
  gst_object_unref (encode);

  pipeline = symbl_test_pipeline ("filesrc location=%s ! decodebin ! "
      "symblsink %s", file, props);
  messages = symbl_test_run (pipeline, 60);
  g_unlink (file);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  /* What went up is the 440 Hz tone, all 0.43 s of it, at 16 kHz mono. */
  r = symbl_test_the_request (&t);
  pcm = symbl_test_decode (r->body_path);
  fail_unless (g_bytes_get_size (pcm) > 0.40 * 16000 * 2
      && g_bytes_get_size (pcm) < 0.46 * 16000 * 2, "%" G_GSIZE_FORMAT
      " bytes", g_bytes_get_size (pcm));
  fail_unless (fabs (symbl_test_estimate_frequency (pcm) - 440) < 20);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Every message an application reads comes from the element it named,
 * not from symblsink's insides: warnings, errors, progress and results. */
static void
expect_all_from (GList * messages, GstElement * named)
{
  for (; messages; messages = messages->next) {
    GstMessage *msg = messages->data;

    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
      continue;
    fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (named),
        "a %s message from %s", GST_MESSAGE_TYPE_NAME (msg),
        GST_MESSAGE_SRC_NAME (msg));
  }
}

/* The text of the last progress message. */
static gchar *
last_progress_text (GList * messages)
{
  gchar *text = NULL;

  for (; messages; messages = messages->next) {
    GstProgressType type;
    g_autofree gchar *code = NULL;

    if (GST_MESSAGE_TYPE (messages->data) != GST_MESSAGE_PROGRESS)
      continue;
    g_free (text);
    gst_message_parse_progress (messages->data, &type, &code, &text);
  }
  return text;
}

GST_START_TEST (test_messages_come_from_symblsink)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink name=s retry-backoff-factor=0.05 %s", props);
  GstElement *named = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  GList *messages;
  const GstStructure *job;
  g_autofree gchar *ids = NULL;
  g_autofree gchar *last = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, "status=503",
          NULL));
  messages = symbl_test_run_with (pipeline, 60, GST_MESSAGE_PROGRESS);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_WARNING, NULL));
  fail_unless (symbl_test_find (messages, GST_MESSAGE_PROGRESS, NULL));
  job = gst_message_get_structure (symbl_test_find (messages,
          GST_MESSAGE_ELEMENT, "symbl-job"));
  expect_all_from (messages, named);

  /* gst-launch-1.0 without -m prints progress: the ids are in it. */
  ids = g_strdup_printf ("Upload complete: conversation-id=%s job-id=%s",
      gst_structure_get_string (job, "conversation-id"),
      gst_structure_get_string (job, "job-id"));
  last = last_progress_text (messages);
  fail_unless_equals_string (last, ids);
  symbl_test_messages_free (messages);

  /* An error too. */
  fail_unless (symbl_local_server_add_fault_text (t.server, "status=400",
          NULL));
  messages = symbl_test_run (pipeline, 60);
  symbl_test_expect_error (messages, "HTTP 400");
  expect_all_from (messages, named);
  symbl_test_messages_free (messages);

  gst_object_unref (named);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The upload's progress names where it goes. */
GST_START_TEST (test_progress_names_the_host)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink %s", props);
  GList *messages = symbl_test_run_with (pipeline, 60, GST_MESSAGE_PROGRESS);
  GstMessage *start = symbl_test_find (messages, GST_MESSAGE_PROGRESS, NULL);
  GstProgressType type;
  g_autofree gchar *code = NULL;
  g_autofree gchar *text = NULL;

  gst_message_parse_progress (start, &type, &code, &text);
  fail_unless_equals_int (type, GST_PROGRESS_TYPE_START);
  fail_unless (g_str_has_prefix (text, "Uploading the recording ("), "%s",
      text);
  fail_unless (g_str_has_suffix (text, ") to 127.0.0.1"), "%s", text);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
symblsink_suite (void)
{
  Suite *s = suite_create ("symblsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_request_is_exactly_what_the_api_wants);
  tcase_add_test (tc, test_job_message_carries_the_ids_before_eos);
  tcase_add_test (tc, test_keep_spool_keeps_the_uploaded_file);
  tcase_add_loop_test (tc, test_each_format, 0, G_N_ELEMENTS (formats));
  tcase_add_test (tc, test_any_raw_audio_is_converted);
  tcase_add_test (tc, test_trackers_location_and_environment_variables);
  tcase_add_test (tc, test_dynamic_link_from_decodebin);
  tcase_add_test (tc, test_messages_come_from_symblsink);
  tcase_add_test (tc, test_progress_names_the_host);
  return s;
}

GST_CHECK_MAIN (symblsink);
