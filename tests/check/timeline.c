/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Time in a recording: a gap stays a gap, timestamps that jump back or
 * start again make a file in order, and symbl-job's duration is the
 * uploaded file's, as gst-discoverer reads it. */
#include <math.h>
#include <gst/app/gstappsrc.h>
#include "symbltest.h"

#define APPSRC "appsrc name=src format=time caps=audio/x-raw,format=S16LE," \
    "rate=16000,channels=1,layout=interleaved"
#define LIVE_APPSRC APPSRC " is-live=true min-latency=0"

static SymblTest t;

/* symbl-job's duration, checked against the uploaded file's within
 * @tolerance; returns the file decoded. */
static GBytes *
check_upload (GList * messages, GstClockTime tolerance)
{
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  GstClockTime said = GST_CLOCK_TIME_NONE, found;
  GBytes *decoded;

  fail_unless (job != NULL, "no symbl-job");
  gst_structure_get_uint64 (gst_message_get_structure (job), "duration", &said);
  found = symbl_test_discover (r->body_path, NULL);
  fail_unless (said + tolerance >= found && said <= found + tolerance,
      "symbl-job said %" GST_TIME_FORMAT ", the file lasts %" GST_TIME_FORMAT,
      GST_TIME_ARGS (said), GST_TIME_ARGS (found));
  decoded = symbl_test_decode (r->body_path);
  symbl_recorded_request_free (r);
  return decoded;
}

/* A span of a recording, in seconds, and the tone it holds (0: silence). */
typedef struct
{
  gdouble from, to, freq;
  const gchar *what;
} Span;

/* The upload lasts @seconds, as symbl-job says, and holds @spans (up to
 * one without @what). Frees @messages. */
static void
expect_recording (GList * messages, gdouble seconds, const Span * spans)
{
  g_autoptr (GBytes) decoded = check_upload (messages, GST_MSECOND);

  fail_unless_equals_int (g_bytes_get_size (decoded), seconds * 32000);
  for (; spans->what; spans++)
    symbl_test_expect_span (decoded, spans->from, spans->to, spans->freq,
        spans->what);
  symbl_test_messages_free (messages);
}

/* Runs "@appsrc ! symblsink @extra", with @push feeding it. */
static GList *
record_from (const gchar * appsrc, const gchar * extra,
    void (*push) (GstAppSrc * src))
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("%s ! symblsink %s %s", appsrc,
      props, extra);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GList *messages;

  push (GST_APP_SRC (src));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  messages = symbl_test_run (pipeline, 60);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  return messages;
}

static GList *
record_pushed (const gchar * extra, void (*push) (GstAppSrc * src))
{
  return record_from (APPSRC, extra, push);
}

static void
push_with_a_gap (GstAppSrc * src)
{
  symbl_test_push_tone (src, 300, 0, 2);
  symbl_test_push_tone (src, 700, 5, 2);
}

/* Gaps are filled by the segmenter (one file or many), or by audiorate
 * where there is none (encoding-profile, here encodebin's wavenc). */
static const gchar *gap_configs[] = { "", "segment-duration=60",
  "encoding-profile=audio/x-wav:audio/x-raw,format=S16LE"
};

/* 0-2 s, nothing for 3 s, then 5-7 s: 7 s, with silence in the gap. */
GST_START_TEST (test_a_gap_stays_a_gap)
{
  GList *messages = record_pushed (gap_configs[__i__], push_with_a_gap);
  const Span spans[] = {
    {0.05, 1.95, 300, "before the gap"},
    {2.05, 4.95, 0, "the gap"},
    {5.05, 6.95, 700, "after the gap"},
    {0}
  };

  expect_recording (messages, 7, spans);
}

GST_END_TEST;

static void
push_from_one_second (GstAppSrc * src)
{
  symbl_test_push_tone (src, 300, 1, 2);
}

/* Not live, the recording starts with the stream: a second of silence,
 * then the tone. */
GST_START_TEST (test_a_file_starts_at_its_start)
{
  GList *messages = record_pushed (gap_configs[__i__], push_from_one_second);
  const Span spans[] = {
    {0.05, 0.95, 0, "before the first buffer"},
    {1.05, 2.95, 300, "the tone"},
    {0}
  };

  expect_recording (messages, 3, spans);
}

GST_END_TEST;

/* Live, it starts with the first sound, however late it comes. */
GST_START_TEST (test_live_starts_with_the_first_sound)
{
  GList *messages = record_from (LIVE_APPSRC, gap_configs[__i__],
      push_from_one_second);
  const Span spans[] = {
    {0.05, 1.95, 300, "the tone"},
    {0}
  };

  expect_recording (messages, 2, spans);
}

GST_END_TEST;

/* A clock that jumps 5 hours, longer than Symbl takes a file: no gap to
 * fill, and nothing is lost either. */
static void
push_across_a_clock_jump (GstAppSrc * src)
{
  symbl_test_push_tone (src, 300, 0, 1);
  symbl_test_push_tone (src, 700, 5 * 3600, 1);
}

GST_START_TEST (test_a_clock_jump_is_no_gap)
{
  GList *messages = record_pushed (gap_configs[__i__],
      push_across_a_clock_jump);
  const Span spans[] = {
    {0.05, 0.95, 300, "before the jump"},
    {1.05, 1.95, 700, "after the jump"},
    {0}
  };

  expect_recording (messages, 2, spans);
}

GST_END_TEST;

/* As identity drop-probability would, but the same every run: every third
 * 0.1 s buffer never arrives. */
static void
push_dropping_every_third (GstAppSrc * src)
{
  guint i;

  for (i = 0; i < 30; i++)
    if (i % 3 != 2)
      symbl_test_push_tone (src, 400, i * 0.1, 0.1);
}

GST_START_TEST (test_lost_buffers_leave_silence_in_place)
{
  GList *messages = record_pushed (gap_configs[__i__],
      push_dropping_every_third);
  g_autoptr (GBytes) decoded = check_upload (messages, GST_MSECOND);
  guint i;

  /* The last buffer was lost too: the recording ends before it. */
  fail_unless_equals_int (g_bytes_get_size (decoded), 2.9 * 32000);
  for (i = 0; i < 29; i++) {
    g_autofree gchar *what = g_strdup_printf ("0.1 s from %.1f s", i * 0.1);

    symbl_test_expect_span (decoded, i * 0.1 + 0.01, i * 0.1 + 0.09,
        i % 3 == 2 ? 0 : 400, what);
  }
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* 0-2 s, then timestamps go back to 1.5 s for 2 s more: the later audio
 * is pushed forward, so that every sample is kept, in order. A gap after
 * that is still a gap, as long as it was. */
static void
push_going_back (GstAppSrc * src)
{
  symbl_test_push_tone (src, 300, 0, 2);
  symbl_test_push_tone (src, 700, 1.5, 2);
  symbl_test_push_tone (src, 500, 4.5, 1);
}

GST_START_TEST (test_timestamps_going_back_stay_in_order)
{
  GList *messages = record_pushed (gap_configs[__i__], push_going_back);
  const Span spans[] = {
    {0.05, 1.95, 300, "before the jump"},
    {2.05, 3.95, 700, "after the jump"},
    {4.05, 4.95, 0, "the gap"},
    {5.05, 5.95, 500, "after the gap"},
    {0}
  };

  expect_recording (messages, 6, spans);
}

GST_END_TEST;

/* Two streams one after the other, each starting at 0 in its segment, as
 * two files: 5 s, every sample, and a symbl-job that says so. */
GST_START_TEST (test_concat_keeps_every_sample)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("concat name=c ! symblsink %s "
      "audiotestsrc freq=300 samplesperbuffer=1600 num-buffers=20 ! "
      "audio/x-raw,rate=16000,channels=1 ! c. "
      "audiotestsrc freq=700 samplesperbuffer=1600 num-buffers=30 ! "
      "audio/x-raw,rate=16000,channels=1 ! c.", props);
  GList *messages = symbl_test_run (pipeline, 60);
  g_autoptr (GBytes) decoded = check_upload (messages, GST_MSECOND);

  fail_unless_equals_int (g_bytes_get_size (decoded), 5 * 32000);
  symbl_test_expect_span (decoded, 0.05, 1.95, 300, "the first file");
  symbl_test_expect_span (decoded, 2.05, 4.95, 700, "the second file");
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* @seconds of a tone at @rate and @channels, from @start, with its caps:
 * appsrc sends them on when they differ from the last buffer's. */
static void
push_tone_as (GstAppSrc * src, gdouble freq, gdouble start, gdouble seconds,
    gint rate, guint channels)
{
  guint n = seconds * rate, i, c;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n * 2 * channels, NULL);
  g_autoptr (GstCaps) caps = gst_caps_new_simple ("audio/x-raw",
      "format", G_TYPE_STRING, "S16LE", "rate", G_TYPE_INT, rate,
      "channels", G_TYPE_INT, channels, "layout", G_TYPE_STRING,
      "interleaved", NULL);
  GstSample *sample;
  GstMapInfo map;
  gint16 *s;

  if (channels == 2)
    gst_caps_set_simple (caps, "channel-mask", GST_TYPE_BITMASK,
        G_GUINT64_CONSTANT (3), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  s = (gint16 *) map.data;
  for (i = 0; i < n; i++)
    for (c = 0; c < channels; c++)
      s[i * channels + c] = 10000 * sin (2 * G_PI * freq * i / rate);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = start * GST_SECOND;
  GST_BUFFER_DURATION (buffer) = seconds * GST_SECOND;
  sample = gst_sample_new (buffer, caps, NULL, NULL);
  fail_unless_equals_int (gst_app_src_push_sample (src, sample), GST_FLOW_OK);
  gst_sample_unref (sample);
  gst_buffer_unref (buffer);
}

/* What the encoder takes, then 48 kHz stereo, then what it takes again. */
static void
push_changing_caps (GstAppSrc * src)
{
  push_tone_as (src, 300, 0, 2, 16000, 1);
  push_tone_as (src, 700, 2, 2, 48000, 2);
  push_tone_as (src, 500, 4, 2, 16000, 1);
}

/* Caps that change mid-stream are converted from then on, and back. */
GST_START_TEST (test_caps_change_mid_stream)
{
  GList *messages = record_pushed (gap_configs[__i__], push_changing_caps);
  g_autoptr (GBytes) decoded = check_upload (messages, GST_MSECOND);
  gsize size = g_bytes_get_size (decoded);

  /* audioresample may keep back a few samples of its filter. */
  fail_unless (size <= 6 * 32000 && size >= 6 * 32000 - 320, "%"
      G_GSIZE_FORMAT " bytes", size);
  symbl_test_expect_span (decoded, 0.05, 1.95, 300, "16 kHz mono");
  symbl_test_expect_span (decoded, 2.05, 3.95, 700, "48 kHz stereo");
  symbl_test_expect_span (decoded, 4.05, 5.95, 500, "16 kHz mono again");
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* 50 ms of Opus: the duration is the file's, within a 20 ms frame. */
GST_START_TEST (test_short_opus_duration_is_the_files)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=800 num-buffers=1 ! audio/x-raw,rate=16000 ! "
      "symblsink format=opus %s", props);
  GList *messages = symbl_test_run (pipeline, 60);
  g_autoptr (GBytes) decoded = check_upload (messages, 20 * GST_MSECOND);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
timeline_suite (void)
{
  Suite *s = suite_create ("timeline");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_loop_test (tc, test_a_gap_stays_a_gap, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_loop_test (tc, test_a_file_starts_at_its_start, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_loop_test (tc, test_live_starts_with_the_first_sound, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_loop_test (tc, test_a_clock_jump_is_no_gap, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_loop_test (tc, test_lost_buffers_leave_silence_in_place, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_loop_test (tc, test_timestamps_going_back_stay_in_order, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_test (tc, test_concat_keeps_every_sample);
  tcase_add_loop_test (tc, test_caps_change_mid_stream, 0,
      G_N_ELEMENTS (gap_configs));
  tcase_add_test (tc, test_short_opus_duration_is_the_files);
  return s;
}

GST_CHECK_MAIN (timeline);
