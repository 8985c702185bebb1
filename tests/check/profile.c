/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblsink's encoding-profile: other encoders through encodebin, and the
 * profiles refused at READY. */
#include <gst/pbutils/missing-plugins.h>
#include "symbltest.h"

static SymblTest t;

#define AUDIO_3S SYMBL_TEST_AUDIO_3S
#define VIDEO_3S SYMBL_TEST_VIDEO_3S

static GstElement *
pipeline_with (const gchar * profile, const gchar * extra)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);

  return symbl_test_pipeline ("symblsink name=s %s encoding-profile=\"%s\" "
      "%s " AUDIO_3S, props, profile, extra);
}

static GList *
record (const gchar * profile, const gchar * sources)
{
  g_autofree gchar *extra = g_strdup_printf ("encoding-profile=\"%s\"",
      profile);

  return symbl_test_record (&t, sources, extra);
}

/* Opus in Ogg, which format=opus also makes but with encodebin's own
 * choice of encoder and settings: audio endpoint, no Content-Type. */
GST_START_TEST (test_ogg_opus_profile)
{
  GList *messages = record ("application/ogg:audio/x-opus", AUDIO_3S);
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  g_autoptr (GBytes) decoded = NULL;
  g_autofree gchar *container = NULL;
  GstClockTime duration;
  gdouble freq;

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  fail_unless (job != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (job), "format"), "opus");
  fail_unless_equals_string (r->path, "/v1/process/audio");
  fail_unless (g_hash_table_lookup (r->headers, "content-type") == NULL);
  duration = symbl_test_discover (r->body_path, &container);
  fail_unless (g_str_has_prefix (container, "application/ogg")
      || g_str_has_prefix (container, "audio/ogg"), "%s", container);
  fail_unless (duration > 2900 * GST_MSECOND && duration < 3100 * GST_MSECOND,
      "duration %" GST_TIME_FORMAT, GST_TIME_ARGS (duration));
  decoded = symbl_test_decode (r->body_path);
  freq = symbl_test_estimate_frequency (decoded);
  fail_unless (freq > 430 && freq < 450, "decoded a %.1f Hz tone", freq);

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Another H.264 encoder than x264enc, named by its element: openh264enc
 * makes constrained baseline, x264enc high. */
GST_START_TEST (test_mp4_with_another_h264_encoder)
{
  GList *messages = record ("video/quicktime,variant=iso:openh264enc:"
      "audio/mpeg,mpegversion=4", VIDEO_3S AUDIO_3S);
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  GPtrArray *streams;
  SymblTestStream *v, *a;

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  fail_unless_equals_string (r->path, "/v1/process/video");
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), "video/mp4");
  streams = symbl_test_mp4_streams (r->body_path);
  fail_unless_equals_int (streams->len, 2);
  v = g_ptr_array_index (streams, 0);
  a = g_ptr_array_index (streams, 1);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (v->caps, 0),
          "video/x-h264"));
  fail_unless_equals_string (gst_structure_get_string (gst_caps_get_structure
          (v->caps, 0), "profile"), "constrained-baseline");
  fail_unless (gst_structure_has_name (gst_caps_get_structure (a->caps, 0),
          "audio/mpeg"));

  g_ptr_array_unref (streams);
  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Fails at READY with an error that contains every one of @needles. */
static GError *
refused_at_ready (const gchar * profile, const gchar * extra,
    const gchar * const *needles)
{
  GstElement *pipeline = pipeline_with (profile, extra);
  GError *error = symbl_test_error_at_ready (pipeline);

  for (; *needles; needles++)
    fail_unless (strstr (error->message, *needles) != NULL, "%s",
        error->message);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  gst_object_unref (pipeline);
  return error;
}

GST_START_TEST (test_malformed_profile_fails_at_ready)
{
  const gchar *needles[] = { "encoding-profile", "\"(((\"", NULL };
  g_autoptr (GError) error = refused_at_ready ("(((", "", needles);

  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS));
}

GST_END_TEST;

GST_START_TEST (test_containers_symbl_does_not_take)
{
  const gchar *audio[] = { "encoding-profile", "audio/x-matroska",
    "It takes", "application/ogg", NULL
  };
  const gchar *video[] = { "encoding-profile", "video/x-matroska", "MP4",
    NULL
  };
  g_autoptr (GError) audio_error =
      refused_at_ready ("audio/x-matroska:audio/x-opus", "", audio);
  g_autoptr (GError) video_error =
      refused_at_ready ("video/x-matroska:video/x-h264:audio/x-opus", "",
      video);
}

GST_END_TEST;

GST_START_TEST (test_profile_with_segments_is_refused)
{
  const gchar *needles[] = { "segment-duration", "encoding-profile", NULL };
  g_autoptr (GError) error = refused_at_ready ("application/ogg:audio/x-opus",
      "segment-duration=60", needles);
}

GST_END_TEST;

/* No encoder makes the caps: the missing-plugin message names them, as
 * does the error. */
GST_START_TEST (test_missing_encoder_names_the_caps)
{
  GstElement *pipeline = pipeline_with ("application/ogg:audio/x-nonexistent",
      "");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *detail = NULL;
  GstMessage *msg;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  while ((msg = gst_bus_pop (bus))) {
    if (gst_is_missing_plugin_message (msg))
      detail = gst_missing_plugin_message_get_installer_detail (msg);
    else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      gst_message_parse_error (msg, &error, NULL);
    gst_message_unref (msg);
  }
  fail_unless (detail && strstr (detail, "encoder-audio/x-nonexistent"),
      "%s", detail);
  fail_unless (g_error_matches (error, GST_CORE_ERROR,
          GST_CORE_ERROR_MISSING_PLUGIN));
  fail_unless (strstr (error->message, "encoding-profile")
      && strstr (error->message, "audio/x-nonexistent"), "%s", error->message);
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Found once the inputs are known: a profile without an audio stream for
 * audio, and an encoder encodebin will not use (avenc_aac has rank none). */
GST_START_TEST (test_profile_that_cannot_encode_the_inputs)
{
  GList *no_audio = record ("mp4mux:x264enc", AUDIO_3S);
  GList *unused = NULL;
  GstMessage *missing;

  symbl_test_expect_error (no_audio, "has no audio stream");
  unused = record ("video/quicktime,variant=iso:avenc_aac", AUDIO_3S);
  symbl_test_expect_error (unused, "no encoder for audio/mpeg (avenc_aac)");
  missing = symbl_test_find (unused, GST_MESSAGE_ELEMENT, "missing-plugin");
  fail_unless (missing && gst_is_missing_plugin_message (missing));
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  symbl_test_messages_free (no_audio);
  symbl_test_messages_free (unused);
}

GST_END_TEST;

GST_START_TEST (test_format_and_profile_warn)
{
  GstElement *pipeline = pipeline_with ("application/ogg:audio/x-opus",
      "format=mp3");
  g_autoptr (GError) warning = symbl_test_warning_after_ready (pipeline);

  fail_unless (strstr (warning->message, "format is not used"), "%s",
      warning->message);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
profile_suite (void)
{
  Suite *s = suite_create ("profile");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_ogg_opus_profile);
  tcase_add_test (tc, test_mp4_with_another_h264_encoder);
  tcase_add_test (tc, test_malformed_profile_fails_at_ready);
  tcase_add_test (tc, test_containers_symbl_does_not_take);
  tcase_add_test (tc, test_profile_with_segments_is_refused);
  tcase_add_test (tc, test_missing_encoder_names_the_caps);
  tcase_add_test (tc, test_profile_that_cannot_encode_the_inputs);
  tcase_add_test (tc, test_format_and_profile_warn);
  return s;
}

GST_CHECK_MAIN (profile);
