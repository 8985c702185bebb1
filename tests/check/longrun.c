/* An hour of audio, non-live so that it runs in seconds: uploaded whole,
 * and the process's memory does not grow with the recording. */
#include "symbltest.h"

#define HOUR_SECONDS 3600
#define WAV_HEADER 44

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

static Suite *
longrun_suite (void)
{
  Suite *s = suite_create ("longrun");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_an_hour_with_flat_memory);
  return s;
}

GST_CHECK_MAIN (longrun);
