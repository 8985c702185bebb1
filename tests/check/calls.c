/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Two-party calls: two audio pads become one two-channel recording, each
 * speaker on a channel, aligned in time, with the speakers sent as
 * channelMetadata. */
#include <gst/app/gstappsrc.h>
#include <json-glib/json-glib.h>
#include "symbltest.h"

static SymblTest t;

/* Channel @channel (0 or 1) of the stereo 16-bit WAV symblsink wrote (its
 * format is checked with wavparse elsewhere in the test). */
static GBytes *
channel_of (const gchar * path, guint channel)
{
  g_autofree gchar *wav = NULL;
  gsize size, i, n;
  const gint16 *frames;
  gint16 *mono;

  fail_unless (g_file_get_contents (path, &wav, &size, NULL));
  fail_unless (size > 44 && memcmp (wav + 36, "data", 4) == 0);
  frames = (const gint16 *) (wav + 44);
  n = (size - 44) / 4;
  mono = g_new (gint16, n);
  for (i = 0; i < n; i++)
    mono[i] = GINT16_FROM_LE (frames[2 * i + channel]);
  return g_bytes_new_take (mono, n * 2);
}

/* The agent talks from the start; the customer joins a second later. */
GST_START_TEST (test_two_speakers_two_channels)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "audio_0::speaker-name=Agent audio_1::speaker-name=Customer "
      "audio_1::speaker-email=customer@example.com "
      "audiotestsrc freq=300 samplesperbuffer=1600 num-buffers=30 ! "
      "audio/x-raw,rate=16000,channels=1 ! s.audio_0 "
      "audiotestsrc freq=700 samplesperbuffer=1600 num-buffers=20 "
      "timestamp-offset=1000000000 ! audio/x-raw,rate=16000,channels=1 ! "
      "s.audio_1", props);
  GList *messages = symbl_test_run (pipeline, 30);
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  g_autoptr (GBytes) left = NULL;
  g_autoptr (GBytes) right = NULL;
  gint channels = 0;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_string (g_hash_table_lookup (r->params,
          "enableSeparateRecognitionPerChannel"), "true");
  fail_unless_equals_string (g_hash_table_lookup (r->params,
          "channelMetadata"), "[{\"channel\":1,\"speaker\":{\"name\":"
      "\"Agent\"}},{\"channel\":2,\"speaker\":{\"name\":\"Customer\","
      "\"email\":\"customer@example.com\"}}]");

  fail_unless_equals_uint64 (symbl_test_discover (r->body_path, NULL),
      3 * GST_SECOND);
  {
    GstElement *probe = symbl_test_pipeline ("filesrc location=%s ! wavparse "
        "! fakesink name=f", r->body_path);
    GstElement *f = gst_bin_get_by_name (GST_BIN (probe), "f");
    g_autoptr (GstPad) pad = gst_element_get_static_pad (f, "sink");
    g_autoptr (GstCaps) caps = NULL;

    gst_element_set_state (probe, GST_STATE_PAUSED);
    gst_element_get_state (probe, NULL, NULL, GST_CLOCK_TIME_NONE);
    caps = gst_pad_get_current_caps (pad);
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "channels",
        &channels);
    gst_element_set_state (probe, GST_STATE_NULL);
    gst_object_unref (f);
    gst_object_unref (probe);
  }
  fail_unless_equals_int (channels, 2);

  left = channel_of (r->body_path, 0);
  right = channel_of (r->body_path, 1);
  symbl_test_expect_span (left, 0.05, 0.95, 300, "agent, first second");
  symbl_test_expect_span (left, 1.05, 2.95, 300, "agent, afterwards");
  symbl_test_expect_span (right, 0.05, 0.95, 0, "customer before joining");
  symbl_test_expect_span (right, 1.05, 2.95, 700, "customer after joining");

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* One side goes quiet for a second (no data at all): the channels stay
 * aligned, with silence in the gap. */
GST_START_TEST (test_a_gap_is_filled_with_silence)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "appsrc name=a format=time caps=audio/x-raw,format=S16LE,rate=16000,"
      "channels=1,layout=interleaved ! s.audio_0 "
      "appsrc name=b format=time caps=audio/x-raw,format=S16LE,rate=16000,"
      "channels=1,layout=interleaved ! s.audio_1", props);
  GstElement *a = gst_bin_get_by_name (GST_BIN (pipeline), "a");
  GstElement *b = gst_bin_get_by_name (GST_BIN (pipeline), "b");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  SymblRecordedRequest *r;
  g_autoptr (GBytes) left = NULL;
  g_autoptr (GBytes) right = NULL;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  symbl_test_push_tone (GST_APP_SRC (a), 300, 0, 3);
  symbl_test_push_tone (GST_APP_SRC (b), 700, 0, 1);
  symbl_test_push_tone (GST_APP_SRC (b), 700, 2, 1);
  gst_app_src_end_of_stream (GST_APP_SRC (a));
  gst_app_src_end_of_stream (GST_APP_SRC (b));
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  r = symbl_test_the_request (&t);
  left = channel_of (r->body_path, 0);
  right = channel_of (r->body_path, 1);
  symbl_test_expect_span (left, 0.05, 2.95, 300, "agent throughout");
  symbl_test_expect_span (right, 0.05, 0.95, 700, "customer before the gap");
  symbl_test_expect_span (right, 1.05, 1.95, 0, "the gap");
  symbl_test_expect_span (right, 2.05, 2.95, 700, "customer after the gap");

  symbl_recorded_request_free (r);
  gst_object_unref (bus);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A busy machine: the thread that sets the pipeline to PLAYING pauses
 * just after symblsink's upload sink starts playing, before the rest of
 * symblsink does (the window in which audiointerleave once ran without a
 * base time, and wrote seconds of silence a moment). */
static GstBusSyncReply
pause_after_upload_sink_plays (GstBus * bus, GstMessage * message,
    gpointer user_data)
{
  GstState new_state;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_STATE_CHANGED
      || !g_str_equal (G_OBJECT_TYPE_NAME (GST_MESSAGE_SRC (message)),
          "GstSymblUploadSink"))
    return GST_BUS_PASS;
  gst_message_parse_state_changed (message, NULL, &new_state, NULL);
  if (new_state == GST_STATE_PLAYING)
    g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  return GST_BUS_PASS;
}

/* One side of the call never says anything (no caps, no data: RTP that
 * never arrived): the call still ends when the app sends EOS, and the
 * other side is uploaded with the silent side as a silent channel, the
 * file as long as the call within 0.6 s. The live side may wait @waited
 * seconds for the silent one's caps: that much more may be lost at the
 * start. The silent appsrc says its latency, as an RTP jitter buffer
 * does. */
static void
record_with_a_silent_side (const gchar * agent_pad, const gchar * silent_pad,
    gdouble waited)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "audiotestsrc is-live=true freq=300 samplesperbuffer=160 ! "
      "audio/x-raw,rate=16000,channels=1 ! s.%s "
      "appsrc name=silent format=time is-live=true min-latency=0 "
      "max-latency=200000000 ! s.%s", props,
      agent_pad, silent_pad);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  SymblRecordedRequest *r;
  g_autoptr (GBytes) left = NULL;
  g_autoptr (GBytes) right = NULL;
  GstClockTime duration, call;
  gint64 started;

  gst_bus_set_sync_handler (bus, pause_after_upload_sink_plays, NULL, NULL);
  started = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_usleep (3 * G_USEC_PER_SEC);
  gst_element_send_event (pipeline, gst_event_new_eos ());
  call = (g_get_monotonic_time () - started) * GST_USECOND;
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "the call did not end");
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  r = symbl_test_the_request (&t);
  duration = symbl_test_discover (r->body_path, NULL);
  fail_unless (duration < call + 600 * GST_MSECOND
      && duration + (0.6 + waited) * GST_SECOND > call,
      "recorded %" GST_TIME_FORMAT " of a %" GST_TIME_FORMAT " call",
      GST_TIME_ARGS (duration), GST_TIME_ARGS (call));
  left = channel_of (r->body_path, 0);
  right = channel_of (r->body_path, 1);
  symbl_test_expect_span (left, 0.1 + waited, 1.8, 300, "the agent");
  symbl_test_expect_span (right, 0, 1.9, 0, "the customer who never spoke");

  symbl_recorded_request_free (r);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

/* Through sink_%u pads, whose kind is known only from caps: the live pad
 * no longer waits for the silent one's caps for good, only half a second.
 * What it sent meanwhile comes in a burst, which the live interleave may
 * take in part as late. */
GST_START_TEST (test_a_side_that_never_speaks_on_sink_pads)
{
  record_with_a_silent_side ("sink_0", "sink_1", 0.5);
}

GST_END_TEST;

/* Through audio_%u pads, as examples/rtp-call-recorder.c records a call:
 * the encoder is there from the start, so audiointerleave runs while
 * symblsink is still on its way to PLAYING. */
GST_START_TEST (test_a_side_that_never_speaks_on_audio_pads)
{
  record_with_a_silent_side ("audio_0", "audio_1", 0);
}

GST_END_TEST;

/* Live sources, each with its own timing, set up from code. */
GST_START_TEST (test_live_call_from_an_application)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "audiotestsrc is-live=true freq=300 num-buffers=50 ! "
      "audio/x-raw,rate=48000 ! queue ! s.audio_0 "
      "audiotestsrc is-live=true freq=700 num-buffers=60 ! "
      "audio/x-raw,rate=8000 ! queue ! s.audio_1", props);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  GstPad *agent = gst_element_get_static_pad (sink, "audio_0");
  GList *messages;
  SymblRecordedRequest *r;
  g_autoptr (JsonNode) metadata = NULL;

  g_object_set (agent, "speaker-name", "Agent", "speaker-email",
      "agent@example.com", NULL);
  messages = symbl_test_run (pipeline, 30);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  r = symbl_test_the_request (&t);
  /* Only the agent has a name: only the agent is described. */
  metadata = json_from_string (g_hash_table_lookup (r->params,
          "channelMetadata"), NULL);
  fail_unless_equals_int (json_array_get_length (json_node_get_array
          (metadata)), 1);
  fail_unless_equals_int (json_object_get_int_member
      (json_array_get_object_element (json_node_get_array (metadata), 0),
          "channel"), 1);

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (agent);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* What the user set wins over what the pads say. */
GST_START_TEST (test_the_users_options_win)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "enable-separate-recognition-per-channel=false "
      "audio_0::speaker-name=Agent "
      "audiotestsrc num-buffers=10 ! s.audio_0 "
      "audiotestsrc num-buffers=10 ! s.audio_1", props);
  GList *messages = symbl_test_run (pipeline, 30);
  SymblRecordedRequest *r = symbl_test_the_request (&t);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_string (g_hash_table_lookup (r->params,
          "enableSeparateRecognitionPerChannel"), "false");
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Three speakers: refused, with the alternative. */
GST_START_TEST (test_three_audio_pads_are_refused)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s "
      "audiotestsrc num-buffers=5 ! s.audio_0 "
      "audiotestsrc num-buffers=5 ! s.audio_1 "
      "audiotestsrc num-buffers=5 ! s.audio_2", props);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *error = symbl_test_expect_error (messages,
      "at most two audio streams");

  symbl_test_expect_error (messages, "mix them with audiomixer and set "
      "enable-speaker-diarization=true");
  fail_unless (GST_MESSAGE_SRC (error) != NULL);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
calls_suite (void)
{
  Suite *s = suite_create ("calls");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_two_speakers_two_channels);
  tcase_add_test (tc, test_a_gap_is_filled_with_silence);
  tcase_add_test (tc, test_a_side_that_never_speaks_on_sink_pads);
  tcase_add_test (tc, test_a_side_that_never_speaks_on_audio_pads);
  tcase_add_test (tc, test_live_call_from_an_application);
  tcase_add_test (tc, test_the_users_options_win);
  tcase_add_test (tc, test_three_audio_pads_are_refused);
  return s;
}

GST_CHECK_MAIN (calls);
