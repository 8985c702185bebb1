/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Meetings of any length, uploaded while they happen: segment-duration
 * cuts the recording at quiet moments, the first segment creates the
 * conversation and the others append to it, in order. */
#include <math.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <json-glib/json-glib.h>
#include "symbltest.h"

#define RATE 16000

static SymblTest t;

/* One upload at the end, and cut into segments. */
static const gchar *segment_configs[] = { "", "segment-duration=60" };

/* The upload requests, in the order the server answered them. */
static GPtrArray *
uploads (void)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  guint i = 0;

  while (i < requests->len) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    if (g_str_has_prefix (r->path, "/v1/process/"))
      i++;
    else
      g_ptr_array_remove_index (requests, i);
  }
  return requests;
}

/* Whether a file of the spool directory has @part in its name. */
static gboolean
spool_holds (const gchar * part)
{
  GDir *dir = g_dir_open (t.spool_dir, 0, NULL);
  const gchar *name;
  gboolean found = FALSE;

  while (dir && (name = g_dir_read_name (dir)))
    found |= strstr (name, part) != NULL;
  if (dir)
    g_dir_close (dir);
  return found;
}

/* The manifest beside @recording. */
static JsonObject *
manifest_of (const gchar * recording)
{
  g_autofree gchar *path = g_strconcat (recording, ".json", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (JsonNode) root = NULL;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  root = json_from_string (text, NULL);
  fail_unless (root && JSON_NODE_HOLDS_OBJECT (root), "%s", path);
  return json_object_ref (json_node_get_object (root));
}

static GList *
job_messages (GList * messages)
{
  GList *jobs = NULL;

  for (; messages; messages = messages->next)
    if (gst_message_has_name (messages->data, "symbl-job"))
      jobs = g_list_append (jobs, messages->data);
  return jobs;
}

static guint64
uint_field (GstMessage * msg, const gchar * name)
{
  const GstStructure *s = gst_message_get_structure (msg);
  guint64 value = 0;
  guint small = 0;

  if (gst_structure_get_uint64 (s, name, &value))
    return value;
  fail_unless (gst_structure_get_uint (s, name, &small), "no %s", name);
  return small;
}

/* Half an hour in ten-minute segments: one POST, two PUTs to the same
 * conversation, in order, adding up to what was pushed. */
GST_START_TEST (test_half_an_hour_in_three_segments)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc freq=440 "
      "samplesperbuffer=16000 num-buffers=1800 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink name=s segment-duration=600 %s", props);
  GList *messages = symbl_test_run (pipeline, 120);
  g_autoptr (GPtrArray) requests = uploads ();
  g_autoptr (GList) jobs = job_messages (messages);
  const gchar *conversation = NULL;
  GstClockTime total = 0;
  guint i;

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  fail_unless_equals_int (requests->len, 3);
  fail_unless_equals_int (g_list_length (jobs), 3);
  fail_unless (g_list_index (messages, g_list_last (jobs)->data) <
      symbl_test_index (messages, GST_MESSAGE_EOS, NULL));

  for (i = 0; i < 3; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    GstMessage *job = g_list_nth_data (jobs, i);
    const gchar *id = gst_structure_get_string (gst_message_get_structure
        (job), "conversation-id");
    GstClockTime decoded = symbl_test_discover (r->body_path, NULL);

    fail_unless_equals_string (r->method, i == 0 ? "POST" : "PUT");
    fail_unless_equals_int (r->status, 201);
    fail_unless_equals_uint64 (uint_field (job, "segment"), i);
    if (i == 0)
      conversation = id;
    else
      fail_unless (g_str_has_suffix (r->path, conversation), "%s", r->path);
    fail_unless_equals_string (id, conversation);
    /* Each about ten minutes (the last what is left), as played back. */
    if (i < 2)
      fail_unless (decoded > 598 * GST_SECOND && decoded < 602 * GST_SECOND,
          "segment %u is %" GST_TIME_FORMAT, i, GST_TIME_ARGS (decoded));
    fail_unless_equals_uint64 (uint_field (job, "duration"), decoded);
    total += decoded;
  }
  fail_unless_equals_uint64 (total, 1800 * GST_SECOND);
  /* Uploaded: no file is left. */
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Pushes @seconds of a 300 Hz tone with silent gaps where @gaps says
 * (pairs of start and end seconds, ending with a negative number). */
static void
push_speech_with_gaps (GstAppSrc * src, guint seconds, const gdouble * gaps)
{
  guint n = seconds * RATE, i, g;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;
  gint16 *s;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  s = (gint16 *) map.data;
  for (i = 0; i < n; i++) {
    gdouble at = (gdouble) i / RATE;
    gboolean quiet = FALSE;

    for (g = 0; gaps[g] >= 0; g += 2)
      quiet |= at >= gaps[g] && at < gaps[g + 1];
    s[i] = quiet ? 0 : 8000 * sin (2 * G_PI * 300 * at);
  }
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = seconds * GST_SECOND;
  fail_unless_equals_int (gst_app_src_push_buffer (src, buffer), GST_FLOW_OK);
  gst_app_src_end_of_stream (src);
}

/* Speech that the test pushes (into *@src) to symblsink, cut every 10 s. */
static GstElement *
pushed_into_segments (GstElement ** src)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("appsrc name=src format=time "
      "caps=audio/x-raw,format=S16LE,rate=16000,channels=1,"
      "layout=interleaved ! symblsink segment-duration=10 %s", props);

  *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  return pipeline;
}

/* The stream must end without an error; then @pipeline stops. */
static void
expect_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* Speech with one pause near each target: every cut lands in a pause,
 * not on the target in the middle of a word. */
GST_START_TEST (test_cuts_fall_in_the_pauses)
{
  const gdouble gaps[] = { 8.5, 8.8, 21.0, 21.4, -1 };
  GstElement *src;
  GstElement *pipeline = pushed_into_segments (&src);
  g_autoptr (GPtrArray) requests = NULL;
  gdouble cut = 0;
  guint i;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  push_speech_with_gaps (GST_APP_SRC (src), 30, gaps);
  expect_eos (pipeline);

  requests = uploads ();
  fail_unless_equals_int (requests->len, 3);
  for (i = 0; i < 2; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);

    cut += symbl_test_discover (r->body_path, NULL) / (gdouble) GST_SECOND;
    fail_unless (cut > gaps[2 * i] && cut < gaps[2 * i + 1],
        "cut %u at %.3f s, outside the pause %.1f-%.1f", i, cut,
        gaps[2 * i], gaps[2 * i + 1]);
  }

  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Segment 2 (the first PUT) fails once: it is sent again, and segment 3
 * waits for it. */
GST_START_TEST (test_a_failed_segment_keeps_the_order)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=16000 num-buffers=30 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink segment-duration=10 retry-backoff-factor=0.2 %s", props);
  GList *messages;
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GList) jobs = NULL;
  SymblRecordedRequest *failed, *retried, *third;
  gchar *first_body, *second_body;
  gsize first_size, second_size;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=503,path=/v1/process/audio/", NULL));
  messages = symbl_test_run (pipeline, 60);
  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  jobs = job_messages (messages);
  fail_unless_equals_int (g_list_length (jobs), 3);

  requests = uploads ();
  fail_unless_equals_int (requests->len, 4);
  failed = g_ptr_array_index (requests, 1);
  retried = g_ptr_array_index (requests, 2);
  third = g_ptr_array_index (requests, 3);
  fail_unless_equals_int (failed->status, 503);
  fail_unless_equals_int (retried->status, 201);
  fail_unless_equals_int (third->status, 201);
  /* The retry is segment 2 again, byte for byte. */
  fail_unless (g_file_get_contents (failed->body_path, &first_body,
          &first_size, NULL));
  fail_unless (g_file_get_contents (retried->body_path, &second_body,
          &second_size, NULL));
  fail_unless (first_size == second_size
      && memcmp (first_body, second_body, first_size) == 0);
  fail_unless_equals_uint64 (uint_field (g_list_nth_data (jobs, 1),
          "segment"), 1);
  fail_unless_equals_uint64 (uint_field (g_list_nth_data (jobs, 2),
          "segment"), 2);

  g_free (first_body);
  g_free (second_body);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A segment refused for good: the error names its file; it and the ones
 * after it stay on disk, not uploaded out of order. */
GST_START_TEST (test_a_refused_segment_keeps_the_rest)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=16000 num-buffers=30 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink segment-duration=10 %s", props);
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  g_autofree gchar *advice = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (JsonObject) manifest = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=400,path=/v1/process/audio/", NULL));
  messages = symbl_test_run (pipeline, 60);
  error = symbl_test_expect_error (messages, "Symbl refused segment 1 of the "
      "recording: HTTP 400");
  /* It says how to send the rest, and their manifests say where: the
   * conversation of segment 0. */
  advice = g_strdup_printf ("symbl-outbox send --spool-dir %s", t.spool_dir);
  symbl_test_expect_error (messages, advice);
  gst_message_parse_error_details (error, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  manifest = manifest_of (gst_structure_get_string (details, "spool-location"));
  fail_unless_equals_string (json_object_get_string_member (manifest,
          "method"), "PUT");
  fail_unless_equals_string (json_object_get_string_member (manifest,
          "conversation-id"), gst_structure_get_string
      (gst_message_get_structure (symbl_test_find (messages,
                  GST_MESSAGE_ELEMENT, "symbl-job")), "conversation-id"));
  fail_unless_equals_int (json_object_get_int_member (manifest,
          "segment-index"), 1);
  fail_unless (strstr (gst_structure_get_string (details, "spool-location"),
          "-segment-001-"));
  /* Nothing after it was sent; segment 0, uploaded, was removed. How much
   * of segment 2 was on disk when the error stopped the pipeline varies. */
  requests = uploads ();
  fail_unless_equals_int (requests->len, 2);
  fail_if (spool_holds ("-segment-000-"));

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Live: segments go up while recording goes on, so that at the end only
 * the last, short one is left to wait for. */
GST_START_TEST (test_segments_go_up_while_recording)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc is-live=true "
      "samplesperbuffer=1600 num-buffers=130 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink segment-duration=4 %s", props);
  GstBus *bus = gst_element_get_bus (pipeline);
  gint64 start = g_get_monotonic_time (), eos_at = 0;
  GArray *job_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  GstMessage *msg;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((msg = gst_bus_timed_pop_filtered (bus,
              symbl_test_us (30 * G_USEC_PER_SEC) * GST_USECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
    gint64 at = g_get_monotonic_time () - start;
    gboolean done = GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT;

    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    if (gst_message_has_name (msg, "symbl-job"))
      g_array_append_val (job_times, at);
    if (done)
      eos_at = at;
    gst_message_unref (msg);
    if (done)
      break;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* 13 s of audio cut near 4 s, 8 s and 12 s (each known 2 s later). */
  fail_unless (job_times->len >= 3, "%u jobs", job_times->len);
  fail_unless (g_array_index (job_times, gint64, 0) <
      symbl_test_us (9 * G_USEC_PER_SEC),
      "the first segment went up at %.1f s",
      g_array_index (job_times, gint64, 0) / 1e6);
  fail_unless (g_array_index (job_times, gint64, 1) <
      symbl_test_us (12 * G_USEC_PER_SEC));
  fail_unless (eos_at >= 12 * G_USEC_PER_SEC);

  g_array_unref (job_times);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Stopped part-way: what was not uploaded stays, and doing what the
 * warning says appends it, in order, to the meeting's conversation. */
GST_START_TEST (test_stop_keeps_what_was_not_uploaded)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=16000 num-buffers=30 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "symblsink segment-duration=10 %s", props);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *job, *warning;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_auto (GStrv) kept = NULL;
  const gchar *conversation_id;
  gint64 start;
  guint i;

  /* The first segment goes up; the server holds the second. */
  fail_unless (symbl_local_server_add_fault_text (t.server,
          "stall=0,path=/v1/process/audio/", NULL));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  job = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT);
  fail_unless (job != NULL && gst_message_has_name (job, "symbl-job"));
  conversation_id = gst_structure_get_string (gst_message_get_structure
      (job), "conversation-id");
  g_usleep (symbl_test_us (G_USEC_PER_SEC / 2));
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_READY);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC));

  warning = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (warning != NULL);
  gst_message_parse_warning (warning, &error, NULL);
  fail_unless (strstr (error->message, conversation_id), "%s", error->message);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 2);
  text = g_strdup (strstr (error->message, "in order: ") + 10);
  *strstr (text, ". ") = '\0';
  kept = g_strsplit (text, " ", -1);
  fail_unless_equals_int (g_strv_length (kept), 2);

  for (i = 0; i < 2; i++) {
    GstElement *append = symbl_test_pipeline ("filesrc location=%s ! "
        "symbluploadsink conversation-id=%s %s", kept[i], conversation_id,
        props);
    GList *messages = symbl_test_run (append, 30);
    GstMessage *appended = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
        "symbl-job");

    fail_unless (appended != NULL);
    fail_unless_equals_string (gst_structure_get_string
        (gst_message_get_structure (appended), "conversation-id"),
        conversation_id);
    symbl_test_messages_free (messages);
    gst_object_unref (append);
  }

  gst_message_unref (job);
  gst_message_unref (warning);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The size of the one WAV in the spool directory, or 0. */
static goffset
spooled_wav_size (void)
{
  GDir *dir = g_dir_open (t.spool_dir, 0, NULL);
  const gchar *name;
  goffset size = 0;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *path = g_build_filename (t.spool_dir, name, NULL);
    GStatBuf st;

    if (g_str_has_suffix (name, ".wav") && g_stat (path, &st) == 0)
      size = st.st_size;
  }
  if (dir)
    g_dir_close (dir);
  return size;
}

static guint buffers_seen;
static goffset least_on_disk;   /* of what had come in, ahead by 1 s */

/* Ahead of symblsink, in the one streaming thread: every buffer before
 * this one went through symblsink and its writer already. */
static GstPadProbeReturn
check_on_disk (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  goffset came = 44 + buffers_seen * 320;

  if (buffers_seen > 100 && buffers_seen % 7 == 0)
    least_on_disk = MIN (least_on_disk, spooled_wav_size () - (came - 32000));
  buffers_seen++;
  return GST_PAD_PROBE_OK;
}

/* A crash must find all but the last second of the audio in the file:
 * audio is passed on in pieces, never more than a second of it held. */
GST_START_TEST (test_at_most_a_second_is_unwritten)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=160 num-buffers=1000 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! identity name=edge ! "
      "symblsink %s %s", props, segment_configs[__i__]);
  GstElement *edge = gst_bin_get_by_name (GST_BIN (pipeline), "edge");
  GstPad *pad = gst_element_get_static_pad (edge, "src");

  buffers_seen = 0;
  least_on_disk = G_MAXINT64;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, check_on_disk, NULL, NULL);
  symbl_test_messages_free (symbl_test_run (pipeline, 30));
  fail_unless_equals_int (buffers_seen, 1000);
  fail_unless (least_on_disk >= 0, "%" G_GINT64_FORMAT " bytes short of "
      "all but the last second", -least_on_disk);
  gst_object_unref (pad);
  gst_object_unref (edge);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Video cannot be cut: refused at READY, naming the property. */
GST_START_TEST (test_video_is_refused)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s "
      "segment-duration=10 %s videotestsrc ! s.video", props);
  g_autoptr (GError) error = NULL;

  error = symbl_test_error_at_ready (pipeline);
  fail_unless (g_error_matches (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD));
  fail_unless (strstr (error->message, "segment-duration"), "%s",
      error->message);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A stream that ends before any data: an error, as without segments, no
 * request, and no file left behind. */
GST_START_TEST (test_no_data_no_segment)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=0 ! "
      "symblsink segment-duration=10 %s", props);
  GList *messages = symbl_test_run (pipeline, 30);
  g_autoptr (GPtrArray) requests = NULL;

  symbl_test_expect_error (messages, "The stream ended before any data "
      "arrived");
  fail_if (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  requests = uploads ();
  fail_unless_equals_int (requests->len, 0);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* symblsink is a sink: with segment-duration too, the pipeline reaches
 * PAUSED once data reached it, not before, and its first buffer is
 * enough, however short (20 ms here; the segmenter holds half a second
 * of what follows). A sink that never prerolls
 * lets GstBin lose the pipeline's EOS (docs/reliability.md): 4 at once of
 * gst-launch-1.0 -e filesrc ! decodebin ! symblsink segment-duration=600
 * hung 7 times in 12 before, 0 in 60 since. */
GST_START_TEST (test_segments_preroll_as_any_sink)
{
  GstElement *src;
  GstElement *pipeline = pushed_into_segments (&src);
  g_autoptr (GPtrArray) requests = NULL;
  GstState state;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_ASYNC);
  fail_unless_equals_int (gst_element_get_state (pipeline, &state, NULL,
          200 * GST_MSECOND), GST_STATE_CHANGE_ASYNC);
  symbl_test_push_tone (GST_APP_SRC (src), 440, 0, 0.02);
  fail_unless_equals_int (gst_element_get_state (pipeline, &state, NULL,
          30 * GST_SECOND), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (state, GST_STATE_PAUSED);

  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  expect_eos (pipeline);
  requests = uploads ();
  fail_unless_equals_int (requests->len, 1);

  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
segments_suite (void)
{
  Suite *s = suite_create ("segments");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_half_an_hour_in_three_segments);
  tcase_add_test (tc, test_cuts_fall_in_the_pauses);
  tcase_add_test (tc, test_a_failed_segment_keeps_the_order);
  tcase_add_test (tc, test_a_refused_segment_keeps_the_rest);
  tcase_add_test (tc, test_segments_go_up_while_recording);
  tcase_add_test (tc, test_stop_keeps_what_was_not_uploaded);
  tcase_add_loop_test (tc, test_at_most_a_second_is_unwritten, 0,
      G_N_ELEMENTS (segment_configs));
  tcase_add_test (tc, test_video_is_refused);
  tcase_add_test (tc, test_no_data_no_segment);
  tcase_add_test (tc, test_segments_preroll_as_any_sink);
  return s;
}

GST_CHECK_MAIN (segments);
