/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbluploadsink: already-encoded recordings go up byte for byte, with
 * the Content-Type the API accepts, and muxers that rewrite their header
 * at EOS leave a correct file. */
#include <glib/gstdio.h>
#include "symbltest.h"

static SymblTest t;

/* An AMR file is amrnbenc's frames after this magic (RFC 4867, 5). It is
 * written here rather than by avmux_amr, which leaks (LeakSanitizer). */
#define AMR_MAGIC "#!AMR\n"

static void
prepend_amr_magic (const gchar * path)
{
  g_autofree gchar *frames = NULL;
  g_autofree gchar *file = NULL;
  gsize length;

  fail_unless (g_file_get_contents (path, &frames, &length, NULL));
  file = g_malloc (strlen (AMR_MAGIC) + length);
  memcpy (file, AMR_MAGIC, strlen (AMR_MAGIC));
  memcpy (file + strlen (AMR_MAGIC), frames, length);
  fail_unless (g_file_set_contents (path, file, strlen (AMR_MAGIC) + length,
          NULL));
}

/* Encodes @seconds of a sine with @encoder into a file beside the spool
 * directory. */
static gchar *
make_file (const gchar * name, const gchar * encoder, guint seconds)
{
  gchar *path = g_build_filename (t.spool_dir, "..", name, NULL);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=1600 num-buffers=%u ! "
      "audio/x-raw,rate=16000,channels=1 ! %s ! filesink location=%s",
      seconds * 10, encoder, path);
  GList *messages = symbl_test_run (pipeline, 30);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  if (g_str_has_suffix (name, ".amr"))
    prepend_amr_magic (path);
  return path;
}

/* Uploads @path through "filesrc ! @parser ! symbluploadsink" and checks
 * the server got it byte for byte. Returns the request. */
static SymblRecordedRequest *
upload_file (const gchar * path, const gchar * parser, const gchar * format)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=%s ! %s%s "
      "symbluploadsink %s", path, parser ? parser : "", parser ? " !" : "",
      props);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  SymblRecordedRequest *r;
  gchar *original, *sent;
  gsize original_size, sent_size;

  fail_unless (job != NULL, "no symbl-job for %s", path);
  fail_unless (symbl_test_index (messages, GST_MESSAGE_EOS, NULL) >
      symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (job), "format"), format);

  r = symbl_test_the_request (&t);
  fail_unless (g_file_get_contents (path, &original, &original_size, NULL));
  fail_unless (g_file_get_contents (r->body_path, &sent, &sent_size, NULL));
  fail_unless (original_size == sent_size
      && memcmp (original, sent, sent_size) == 0,
      "%s: %" G_GSIZE_FORMAT " bytes sent for %" G_GSIZE_FORMAT, path,
      sent_size, original_size);

  g_free (original);
  g_free (sent);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  return r;
}

GST_START_TEST (test_mp3_goes_up_byte_for_byte)
{
  g_autofree gchar *mp3 = make_file ("meeting.mp3", "lamemp3enc", 3);
  SymblRecordedRequest *r = upload_file (mp3, "mpegaudioparse", "mp3");

  fail_unless_equals_string (r->path, "/v1/process/audio");
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), "audio/mpeg");
  symbl_recorded_request_free (r);
  g_unlink (mp3);
}

GST_END_TEST;

/* Two MP3 files one after the other (concat: each starts again at 0 in a
 * segment of its own): symbl-job says how long the uploaded file lasts,
 * as gst-discoverer reads it, within a frame. */
GST_START_TEST (test_concat_duration_is_the_files)
{
  const gchar *cbr = "lamemp3enc target=bitrate cbr=true bitrate=32";
  g_autofree gchar *first = make_file ("first.mp3", cbr, 2);
  g_autofree gchar *second = make_file ("second.mp3", cbr, 3);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("concat name=c ! "
      "symbluploadsink %s filesrc location=%s ! mpegaudioparse ! c. "
      "filesrc location=%s ! mpegaudioparse ! c.", props, first, second);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  SymblRecordedRequest *r = symbl_test_the_request (&t);
  GstClockTime said = GST_CLOCK_TIME_NONE, found;

  fail_unless (job != NULL, "no symbl-job");
  gst_structure_get_uint64 (gst_message_get_structure (job), "duration", &said);
  found = symbl_test_discover (r->body_path, NULL);
  fail_unless (found > 5 * GST_SECOND, "the file lasts %" GST_TIME_FORMAT,
      GST_TIME_ARGS (found));
  fail_unless (said + 40 * GST_MSECOND >= found
      && said <= found + 40 * GST_MSECOND, "symbl-job said %" GST_TIME_FORMAT
      ", the file lasts %" GST_TIME_FORMAT, GST_TIME_ARGS (said),
      GST_TIME_ARGS (found));

  symbl_recorded_request_free (r);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  g_unlink (first);
  g_unlink (second);
}

GST_END_TEST;

/* filesrc straight into the sink: no caps, the format is found from the
 * recording's first bytes. */
static const struct
{
  const gchar *name;
  const gchar *encoder;
  const gchar *format;
  const gchar *content_type;
} typefound[] = {
  {"meeting.mp3", "lamemp3enc", "mp3", "audio/mpeg"},
  {"meeting.wav", "wavenc", "wav", "audio/wav"},
  {"meeting.flac", "flacenc", "flac", NULL},
  {"meeting.ogg", "opusenc ! oggmux", "opus", NULL},
  {"meeting.oga", "vorbisenc ! oggmux", "ogg", NULL},
  /* The FAQ's other formats, which the API detects by itself */
  {"meeting.amr", "audioresample ! amrnbenc", "amr", NULL},
  {"meeting.ac3", "audioresample ! avenc_ac3", "ac3", NULL},
  {"meeting.aiff", "aiffmux", "aiff", NULL},
  {"meeting.wma", "avenc_wmav2 ! asfmux", "wma", NULL},
};

GST_START_TEST (test_file_without_caps_is_recognised)
{
  g_autofree gchar *path = make_file (typefound[__i__].name,
      typefound[__i__].encoder, 2);
  SymblRecordedRequest *r = upload_file (path, NULL,
      typefound[__i__].format);

  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), typefound[__i__].content_type);
  symbl_recorded_request_free (r);
  g_unlink (path);
}

GST_END_TEST;

/* The same files with the caps typefind gives them: the pad template
 * takes them. */
GST_START_TEST (test_files_with_caps_are_taken)
{
  g_autofree gchar *path = make_file (typefound[__i__].name,
      typefound[__i__].encoder, 1);
  SymblRecordedRequest *r = upload_file (path, "typefind",
      typefound[__i__].format);

  fail_unless_equals_string (r->path, "/v1/process/audio");
  fail_unless_equals_string (g_hash_table_lookup (r->headers,
          "content-type"), typefound[__i__].content_type);
  symbl_recorded_request_free (r);
  g_unlink (path);
}

GST_END_TEST;

static guint32
read_le32 (const guint8 * p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

/* wavenc writes a placeholder header, then seeks back at EOS to fill in the
 * sizes; the uploaded file must carry the final header. */
GST_START_TEST (test_wavenc_header_rewrite_is_honoured)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=1600 num-buffers=10 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! wavenc ! "
      "symbluploadsink %s", props);
  GList *messages = symbl_test_run (pipeline, 30);
  GPtrArray *requests = symbl_test_requests (&t, 1);
  SymblRecordedRequest *r = g_ptr_array_index (requests, 0);
  g_autofree guint8 *body = NULL;
  gsize size;

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless (g_file_get_contents (r->body_path, (gchar **) & body, &size,
          NULL));
  fail_unless (memcmp (body, "RIFF", 4) == 0 && memcmp (body + 8, "WAVE",
          4) == 0);
  fail_unless_equals_int (read_le32 (body + 4), size - 8);
  fail_unless (memcmp (body + 36, "data", 4) == 0);
  fail_unless_equals_int (read_le32 (body + 40), 16000 * 2);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_other_containers_are_refused_with_advice)
{
  g_autofree gchar *mkv = make_file ("meeting.mka", "opusenc ! matroskamux",
      1);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=%s ! "
      "symbluploadsink %s", mkv, props);
  GList *messages = symbl_test_run (pipeline, 30);

  symbl_test_expect_error (messages, "use symblsink");
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
  g_unlink (mkv);
}

GST_END_TEST;

/* A file that is no media at all: a clear error, no request, and no file
 * left behind. */
GST_START_TEST (test_not_media_is_refused_and_not_kept)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=%s/README.md "
      "! symbluploadsink %s", SYMBL_SOURCE_ROOT, props);
  GList *messages = symbl_test_run (pipeline, 30);

  symbl_test_expect_error (messages, "It is not a recording, and was not "
      "kept");
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* On its own, the upload sink names its files after itself (not its
 * pipeline), with the extension of what it recorded. */
GST_START_TEST (test_spool_files_are_named_after_the_element)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  g_autofree gchar *mp3 = make_file ("named.mp3", "lamemp3enc", 1);
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=%s ! "
      "symbluploadsink name=front-desk keep-spool=true %s", mp3, props);
  GList *messages = symbl_test_run (pipeline, 30);
  const gchar *kept = gst_structure_get_string (gst_message_get_structure
      (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job")),
      "location");
  g_autofree gchar *name = g_path_get_basename (kept);

  fail_unless (strstr (name, "-front-desk-") != NULL, "%s", name);
  fail_unless (g_str_has_suffix (name, ".mp3"), "%s", name);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
uploadsink_suite (void)
{
  Suite *s = suite_create ("symbluploadsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_mp3_goes_up_byte_for_byte);
  tcase_add_test (tc, test_concat_duration_is_the_files);
  tcase_add_loop_test (tc, test_file_without_caps_is_recognised, 0,
      G_N_ELEMENTS (typefound));
  tcase_add_loop_test (tc, test_files_with_caps_are_taken, 0,
      G_N_ELEMENTS (typefound));
  tcase_add_test (tc, test_wavenc_header_rewrite_is_honoured);
  tcase_add_test (tc, test_other_containers_are_refused_with_advice);
  tcase_add_test (tc, test_not_media_is_refused_and_not_kept);
  tcase_add_test (tc, test_spool_files_are_named_after_the_element);
  return s;
}

GST_CHECK_MAIN (uploadsink);
