/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* An hour of audio, non-live so that it runs in seconds: uploaded whole,
 * and the process's memory does not grow with the recording. And past
 * Symbl's 4 hours per file: symblsink cuts, symbluploadsink refuses. */
#include "symbltest.h"

#define HOUR_SECONDS 3600
#define WAV_HEADER 44
#define SYMBL_TEST_MAX_FILE (4 * HOUR_SECONDS * GST_SECOND)

static SymblTest t;

/* Records @seconds of 16 kHz mono through symblsink in 1 s buffers. */
static GList *
record (guint seconds)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc freq=440 "
      "samplesperbuffer=16000 num-buffers=%u ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! symblsink %s",
      seconds, props);
  GList *messages = symbl_test_run (pipeline, 600);

  gst_object_unref (pipeline);
  return messages;
}

GST_START_TEST (test_an_hour_with_flat_memory)
{
  GList *messages;
  GPtrArray *requests;
  SymblRecordedRequest *r;
  glong before, after;
  g_autoptr (GBytes) reference = NULL;
  g_autoptr (GMappedFile) body = NULL;

  symbl_test_setup (&t);

  /* A minute first, so that everything loaded once (plugins, TLS, the
   * server's buffers) is in the baseline. */
  symbl_test_messages_free (record (60));
  before = symbl_test_peak_rss_kib ();

  messages = record (HOUR_SECONDS);
  after = symbl_test_peak_rss_kib ();
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"),
      "the hour was not uploaded");
  fail_unless (SYMBL_UNDER_ASAN || after - before < 8 * 1024,
      "peak memory grew by %ld KiB over an hour of audio", after - before);

  requests = symbl_local_server_get_requests (t.server);
  fail_unless_equals_int (requests->len, 2);
  r = g_ptr_array_index (requests, 1);
  fail_unless (r->body_length >= WAV_HEADER + HOUR_SECONDS * 32000ULL
      && r->body_length < WAV_HEADER + HOUR_SECONDS * 32000ULL + 64);
  fail_unless_equals_uint64 (symbl_test_discover (r->body_path, NULL),
      HOUR_SECONDS * GST_SECOND);

  /* The samples are the ones pushed, at the start and at the end. */
  body = g_mapped_file_new (r->body_path, FALSE, NULL);
  reference = symbl_test_reference_sine (440, 16000);
  fail_unless (memcmp (g_mapped_file_get_contents (body) + WAV_HEADER,
          g_bytes_get_data (reference, NULL), 32000) == 0);
  {
    const gint16 *last = (const gint16 *) (g_mapped_file_get_contents (body)
        + WAV_HEADER + (HOUR_SECONDS - 1) * 32000ULL);
    g_autoptr (GBytes) tail = g_bytes_new_static (last, 32000);
    gdouble freq = symbl_test_estimate_frequency (tail);
    fail_unless (freq > 435 && freq < 445, "last second: %.1f Hz", freq);
  }

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  symbl_test_teardown (&t);
}

GST_END_TEST;

/* 4 h 10 min: over Symbl's 4 hours per file. Silence in FLAC, in 10 s
 * buffers: encoded in seconds, and a body of kilobytes. */
#define OVER_CAP_SECONDS (4 * HOUR_SECONDS + 10 * 60)
#define OVER_CAP_SOURCE "audiotestsrc wave=silence samplesperbuffer=160000 " \
  "num-buffers=%u ! audio/x-raw,format=S16LE,rate=16000,channels=1"
/* One FLAC frame of flacenc's at 16 kHz. */
#define FLAC_FRAME (4608 * GST_SECOND / 16000)

/* The uploads the server recorded, in order. */
static GPtrArray *
uploads (void)
{
  g_autoptr (GPtrArray) requests = symbl_local_server_get_requests (t.server);
  GPtrArray *found = g_ptr_array_new ();
  guint i;

  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);

    if (g_str_has_prefix (r->path, "/v1/process/"))
      g_ptr_array_add (found, r);
  }
  g_ptr_array_set_free_func (requests, NULL);
  g_ptr_array_set_free_func (found,
      (GDestroyNotify) symbl_recorded_request_free);
  return found;
}

/* Without segment-duration, audio past 3 h 55 min is cut all the same:
 * Symbl refuses files longer than 4 hours. */
GST_START_TEST (test_symblsink_cuts_over_four_hours_by_itself)
{
  g_autofree gchar *props = NULL;
  GstElement *pipeline;
  GList *messages;
  g_autoptr (GPtrArray) requests = NULL;
  SymblRecordedRequest *post, *put;
  g_autofree gchar *put_path = NULL;
  GstClockTime part0, part1;
  GstMessage *job;

  symbl_test_setup (&t);
  props = symbl_test_sink_props (&t);
  pipeline = symbl_test_pipeline (OVER_CAP_SOURCE " ! symblsink format=flac "
      "%s", OVER_CAP_SECONDS / 10, props);
  messages = symbl_test_run (pipeline, 300);
  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));

  requests = uploads ();
  fail_unless_equals_int (requests->len, 2);
  post = g_ptr_array_index (requests, 0);
  put = g_ptr_array_index (requests, 1);
  fail_unless_equals_string (post->method, "POST");
  fail_unless_equals_string (put->method, "PUT");
  /* Appended to the conversation that the POST created. */
  job = symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job");
  fail_unless (job != NULL);
  put_path = g_strdup_printf ("/v1/process/audio/%s",
      gst_structure_get_string (gst_message_get_structure (job),
          "conversation-id"));
  fail_unless_equals_string (put->path, put_path);
  /* Once cut, the parts are told of as segments. */
  fail_unless (gst_structure_has_field (gst_message_get_structure (job),
          "segment"));

  part0 = symbl_test_discover (post->body_path, NULL);
  part1 = symbl_test_discover (put->body_path, NULL);
  fail_unless (part0 < SYMBL_TEST_MAX_FILE && part1 < SYMBL_TEST_MAX_FILE,
      "parts of %" GST_TIME_FORMAT " and %" GST_TIME_FORMAT,
      GST_TIME_ARGS (part0), GST_TIME_ARGS (part1));
  /* Cut within 2 s of 3 h 55 min. */
  fail_unless (part0 > SYMBL_TEST_MAX_FILE - 5 * 60 * GST_SECOND -
      3 * GST_SECOND);
  fail_unless (part0 + part1 + FLAC_FRAME >= OVER_CAP_SECONDS * GST_SECOND
      && part0 + part1 <= OVER_CAP_SECONDS * GST_SECOND + FLAC_FRAME,
      "%" GST_TIME_FORMAT " + %" GST_TIME_FORMAT, GST_TIME_ARGS (part0),
      GST_TIME_ARGS (part1));

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  symbl_test_teardown (&t);
}

GST_END_TEST;

GST_START_TEST (test_uploadsink_refuses_over_four_hours)
{
  g_autofree gchar *props = NULL;
  GstElement *pipeline;
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *manifest_path = NULL;
  g_autofree gchar *manifest = NULL;
  const gchar *kept;

  symbl_test_setup (&t);
  props = symbl_test_sink_props (&t);
  pipeline = symbl_test_pipeline (OVER_CAP_SOURCE " ! flacenc ! "
      "symbluploadsink %s", OVER_CAP_SECONDS / 10, props);
  messages = symbl_test_run (pipeline, 300);

  fail_unless_equals_int (symbl_test_count_warnings (messages,
          "longer than 4 hours"), 1);
  fail_unless_equals_int (symbl_test_count_warnings (messages,
          "symblsink segment-duration"), 1);
  error = symbl_test_expect_error (messages,
      "Symbl refuses files longer than 4 hours");
  gst_message_parse_error_details (error, &details);
  kept = gst_structure_get_string (details, "spool-location");
  fail_unless (kept && g_file_test (kept, G_FILE_TEST_EXISTS));
  fail_unless (symbl_test_discover (kept, NULL) > SYMBL_TEST_MAX_FILE);
  /* Its manifest says why, so that symbl-outbox send leaves it. */
  manifest_path = g_strdup_printf ("%s.json", kept);
  fail_unless (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  fail_unless (strstr (manifest, "\"failed\"") != NULL, "%s", manifest);
  fail_unless (strstr (manifest, "longer than 4 hours") != NULL);

  requests = uploads ();
  fail_unless_equals_int (requests->len, 0);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  symbl_test_teardown (&t);
}

GST_END_TEST;

static Suite *
longrun_suite (void)
{
  Suite *s = suite_create ("longrun");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_an_hour_with_flat_memory);
  tcase_add_test (tc, test_symblsink_cuts_over_four_hours_by_itself);
  tcase_add_test (tc, test_uploadsink_refuses_over_four_hours);
  return s;
}

GST_CHECK_MAIN (longrun);
