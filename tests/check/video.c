/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Video meetings: symblsink encodes H.264 and AAC into MP4 for
 * /v1/process/video; symbluploadsink sends an MP4 as it is. */
#include <glib/gstdio.h>
#include <gst/pbutils/missing-plugins.h>
#include "symbltest.h"

static SymblTest t;

#define VIDEO_3S SYMBL_TEST_VIDEO_3S
#define AUDIO_3S SYMBL_TEST_AUDIO_3S

static GList *
record (const gchar * sources, const gchar * extra)
{
  return symbl_test_record (&t, sources, extra);
}

static SymblRecordedRequest *
the_upload (void)
{
  SymblRecordedRequest *r = symbl_test_the_request (&t);

  fail_unless_equals_string (r->method, "POST");
  fail_unless_equals_string (r->path, "/v1/process/video");
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), "video/mp4");
  fail_unless_equals_int (r->status, 201);
  return r;
}

static const GstStructure *
stream_structure (GPtrArray * streams, guint i)
{
  SymblTestStream *stream = g_ptr_array_index (streams, i);

  return gst_caps_get_structure (stream->caps, 0);
}

static void
assert_close (GstClockTime value, GstClockTime expected,
    GstClockTime tolerance, const gchar * what)
{
  fail_unless (value + tolerance >= expected && value <= expected + tolerance,
      "%s: %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT, what,
      GST_TIME_ARGS (value), GST_TIME_ARGS (expected));
}

GST_START_TEST (test_audio_and_video_become_an_mp4)
{
  GList *messages = record (VIDEO_3S AUDIO_3S, "");
  SymblRecordedRequest *r = the_upload ();
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  GPtrArray *streams;
  SymblTestStream *video, *audio;
  const GstStructure *v, *a;
  gchar *container = NULL;
  gint width, height, rate, channels;

  fail_unless (job != NULL);
  fail_unless (symbl_test_index (messages, GST_MESSAGE_EOS, NULL) >
      symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (job), "media-type"), "video");
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (job), "format"), "mp4");

  assert_close (symbl_test_discover (r->body_path, &container), 3 * GST_SECOND,
      100 * GST_MSECOND, "duration");
  fail_unless_equals_string (container, "video/quicktime");

  streams = symbl_test_mp4_streams (r->body_path);
  fail_unless_equals_int (streams->len, 2);
  v = stream_structure (streams, 0);
  a = stream_structure (streams, 1);
  fail_unless (gst_structure_has_name (v, "video/x-h264"));
  /* 8-bit 4:2:0, which every decoder plays. */
  fail_unless (g_str_has_prefix (gst_structure_get_string (v, "profile"),
          "high") && !strstr (gst_structure_get_string (v, "profile"), "4"),
      "profile %s", gst_structure_get_string (v, "profile"));
  gst_structure_get_int (v, "width", &width);
  gst_structure_get_int (v, "height", &height);
  fail_unless (width == 320 && height == 240, "%dx%d", width, height);
  fail_unless (gst_structure_has_name (a, "audio/mpeg"));
  gst_structure_get_int (a, "rate", &rate);
  gst_structure_get_int (a, "channels", &channels);
  fail_unless (rate == 16000 && channels == 1);

  /* In sync: both start together and last what was pushed. */
  video = g_ptr_array_index (streams, 0);
  audio = g_ptr_array_index (streams, 1);
  fail_unless_equals_int (video->buffers, 90);
  assert_close (video->start, 0, 10 * GST_MSECOND, "video start");
  assert_close (audio->start, 0, 70 * GST_MSECOND, "audio start");
  assert_close (video->end, 3 * GST_SECOND, 40 * GST_MSECOND, "video end");
  assert_close (audio->end, 3 * GST_SECOND, 70 * GST_MSECOND, "audio end");

  g_free (container);
  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_video_without_audio)
{
  GList *messages = record (VIDEO_3S, "");
  SymblRecordedRequest *r = the_upload ();
  GPtrArray *streams = symbl_test_mp4_streams (r->body_path);
  SymblTestStream *video;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (streams->len, 1);
  fail_unless (gst_structure_has_name (stream_structure (streams, 0),
          "video/x-h264"));
  video = g_ptr_array_index (streams, 0);
  assert_close (video->end - video->start, 3 * GST_SECOND, 40 * GST_MSECOND,
      "video duration");

  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* 1080p is brought down to 720p: cheap to encode, plenty to watch. Frames
 * are neither dropped nor invented. */
GST_START_TEST (test_large_video_is_capped_at_720p)
{
  GList *messages = record ("videotestsrc num-buffers=60 ! "
      "video/x-raw,width=1920,height=1080,framerate=60/1 ! s.video ",
      "video-bitrate=500");
  SymblRecordedRequest *r = the_upload ();
  GPtrArray *streams = symbl_test_mp4_streams (r->body_path);
  const GstStructure *v = stream_structure (streams, 0);
  gint width, height, fps_n, fps_d;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  gst_structure_get_int (v, "width", &width);
  gst_structure_get_int (v, "height", &height);
  gst_structure_get_fraction (v, "framerate", &fps_n, &fps_d);
  fail_unless (width == 1280 && height == 720, "%dx%d", width, height);
  fail_unless (fps_n == 60 && fps_d == 1, "%d/%d fps", fps_n, fps_d);
  fail_unless_equals_int (((SymblTestStream *) g_ptr_array_index (streams,
              0))->buffers, 60);

  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* The launch lines users type: pads linked without names learn whether
 * they carry audio or video from their caps. */
GST_START_TEST (test_camera_and_microphone_line)
{
  GList *messages = record ("videotestsrc num-buffers=60 ! videoconvert ! s. "
      "audiotestsrc num-buffers=40 ! s.", "");
  SymblRecordedRequest *r = the_upload ();
  GPtrArray *streams = symbl_test_mp4_streams (r->body_path);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (streams->len, 2);
  fail_unless (gst_structure_has_name (stream_structure (streams, 0),
          "video/x-h264"));
  fail_unless (gst_structure_has_name (stream_structure (streams, 1),
          "audio/mpeg"));

  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_decodebin_with_queues_line)
{
  g_autofree gchar *webm = g_build_filename (t.spool_dir, "..",
      "symbl-test-meeting.webm", NULL);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("webmmux name=m ! filesink "
      "location=%s videotestsrc num-buffers=60 ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc ! m. "
      "audiotestsrc num-buffers=100 samplesperbuffer=960 ! "
      "audio/x-raw,rate=48000 ! opusenc ! m.", webm);
  GList *messages = symbl_test_run (pipeline, 30);
  SymblRecordedRequest *r;
  GPtrArray *streams;
  SymblTestStream *video, *audio;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);

  pipeline = symbl_test_pipeline ("filesrc location=%s ! decodebin name=d "
      "d. ! queue ! symblsink name=s %s d. ! queue ! s.", webm, props);
  messages = symbl_test_run (pipeline, 60);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  r = the_upload ();
  streams = symbl_test_mp4_streams (r->body_path);
  fail_unless_equals_int (streams->len, 2);
  video = g_ptr_array_index (streams, 0);
  audio = g_ptr_array_index (streams, 1);
  fail_unless_equals_int (video->buffers, 60);
  assert_close (video->end, 2 * GST_SECOND, 40 * GST_MSECOND, "video end");
  assert_close (audio->end, 2 * GST_SECOND, 70 * GST_MSECOND, "audio end");

  g_unlink (webm);
  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_two_video_streams_are_refused)
{
  GList *messages = record ("videotestsrc num-buffers=30 ! queue ! s. "
      "videotestsrc num-buffers=30 ! queue ! s.", "");

  symbl_test_expect_error (messages, "symblsink takes one video stream");
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* An MP4 made elsewhere goes up as it is, to the video endpoint. */
GST_START_TEST (test_mp4_passes_through_upload_sink)
{
  g_autofree gchar *mp4 = g_build_filename (t.spool_dir, "..",
      "symbl-test-meeting.mp4", NULL);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("videotestsrc num-buffers=30 ! "
      "video/x-raw,width=320,height=240 ! x264enc ! mp4mux name=m ! "
      "filesink location=%s audiotestsrc num-buffers=20 ! avenc_aac ! m.",
      mp4);
  GList *messages = symbl_test_run (pipeline, 30);
  SymblRecordedRequest *r;
  gchar *original, *sent;
  gsize original_size, sent_size;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);

  pipeline = symbl_test_pipeline ("filesrc location=%s ! symbluploadsink %s",
      mp4, props);
  messages = symbl_test_run (pipeline, 30);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  r = the_upload ();
  fail_unless (g_file_get_contents (mp4, &original, &original_size, NULL));
  fail_unless (g_file_get_contents (r->body_path, &sent, &sent_size, NULL));
  fail_unless (original_size == sent_size
      && memcmp (original, sent, sent_size) == 0);

  g_free (original);
  g_free (sent);
  g_unlink (mp4);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_other_video_containers_are_refused)
{
  g_autofree gchar *webm = g_build_filename (t.spool_dir, "..",
      "symbl-test-meeting.webm", NULL);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,width=160,height=120 ! vp8enc ! webmmux ! "
      "filesink location=%s", webm);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *error;
  const GstStructure *details;

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);

  pipeline = symbl_test_pipeline ("filesrc location=%s ! symbluploadsink %s",
      webm, props);
  messages = symbl_test_run (pipeline, 30);
  error = symbl_test_expect_error (messages, "video/webm is not MP4");
  symbl_test_expect_error (messages, "Use symblsink, which re-encodes");
  gst_message_parse_error_details (error, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  g_unlink (webm);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The errors of part 1 carry the same details for video. */
GST_START_TEST (test_refused_video_is_kept)
{
  GList *messages;
  GstMessage *msg;
  const GstStructure *details;
  guint status = 0;
  GPtrArray *streams;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=401,body={\"message\": \"Token validation failed for "
          "provided token.\"}", NULL));
  messages = record (VIDEO_3S AUDIO_3S, "");
  msg = symbl_test_expect_error (messages, "Token validation failed");
  fail_if (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  gst_message_parse_error_details (msg, &details);
  gst_structure_get_uint (details, "http-status-code", &status);
  fail_unless_equals_int (status, 401);
  streams = symbl_test_mp4_streams (gst_structure_get_string (details,
          "spool-location"));
  fail_unless_equals_int (streams->len, 2);

  g_ptr_array_unref (streams);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_cancel_a_stalled_video_upload)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      VIDEO_3S AUDIO_3S, props);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *warning, *progress;
  const GstStructure *details;
  gint64 start;

  fail_unless (symbl_local_server_add_fault_text (t.server, "stall=0", NULL));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* However long x264 takes on a busy machine: until the upload began. */
  while ((progress = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
              GST_MESSAGE_PROGRESS))) {
    GstProgressType type;
    g_autofree gchar *code = NULL;
    g_autofree gchar *text = NULL;

    gst_message_parse_progress (progress, &type, &code, &text);
    gst_message_unref (progress);
    if (type == GST_PROGRESS_TYPE_START && g_str_equal (code, "upload"))
      break;
  }
  g_usleep (symbl_test_us (G_USEC_PER_SEC / 5));

  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_READY);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC));
  warning = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (warning != NULL);
  gst_message_parse_warning_details (warning, &details);
  fail_unless (g_str_has_suffix (gst_structure_get_string (details,
              "spool-location"), ".mp4"));

  gst_message_unref (warning);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Without x264enc, going to READY fails with a missing-plugin message and
 * an error that names the package. */
GST_START_TEST (test_missing_encoder_names_the_package)
{
  GstRegistry *registry = gst_registry_get ();
  GstPluginFeature *x264 = gst_registry_lookup_feature (registry, "x264enc");
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  gboolean saw_missing = FALSE;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  fail_unless (x264 != NULL);
  gst_registry_remove_feature (registry, x264);

  pipeline = symbl_test_pipeline ("symblsink name=s %s " VIDEO_3S, props);
  bus = gst_element_get_bus (pipeline);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  while ((msg = gst_bus_pop (bus))) {
    if (gst_is_missing_plugin_message (msg)) {
      g_autofree gchar *detail =
          gst_missing_plugin_message_get_installer_detail (msg);
      saw_missing = TRUE;
      fail_unless (strstr (detail, "x264enc") != NULL, "%s", detail);
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &error, &debug);
    }
    gst_message_unref (msg);
  }
  gst_registry_add_feature (registry, x264);
  gst_object_unref (x264);

  fail_unless (saw_missing, "no missing-plugin message");
  fail_unless (g_error_matches (error, GST_CORE_ERROR,
          GST_CORE_ERROR_MISSING_PLUGIN));
  fail_unless (strstr (error->message, "x264enc") != NULL
      && strstr (error->message, "apt-get install gstreamer1.0-plugins-ugly"),
      "%s", error->message);
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
video_suite (void)
{
  Suite *s = suite_create ("video");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_audio_and_video_become_an_mp4);
  tcase_add_test (tc, test_video_without_audio);
  tcase_add_test (tc, test_large_video_is_capped_at_720p);
  tcase_add_test (tc, test_camera_and_microphone_line);
  tcase_add_test (tc, test_decodebin_with_queues_line);
  tcase_add_test (tc, test_two_video_streams_are_refused);
  tcase_add_test (tc, test_mp4_passes_through_upload_sink);
  tcase_add_test (tc, test_other_video_containers_are_refused);
  tcase_add_test (tc, test_refused_video_is_kept);
  tcase_add_test (tc, test_cancel_a_stalled_video_upload);
  tcase_add_test (tc, test_missing_encoder_names_the_package);
  return s;
}

GST_CHECK_MAIN (video);
