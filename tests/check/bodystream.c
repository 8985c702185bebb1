/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* An upload's body as libsoup sends it, reading a chunk and writing it
 * (g_output_stream_splice): the report that the last bytes were taken
 * comes before they are written, so that the manifest says sent-no-reply
 * before the server can have the whole body. */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "symblbodystream.h"

#define SIZE 20000

typedef struct
{
  GOutputStream *written;       /* where the body goes */
  guint reports;
  guint64 last_taken;
  gsize written_when_all_taken;
} Watch;

static void
on_taken (guint64 taken, guint64 total, gpointer user_data)
{
  Watch *watch = user_data;

  fail_unless (taken > watch->last_taken && taken <= total);
  watch->last_taken = taken;
  watch->reports++;
  if (taken == total)
    watch->written_when_all_taken = g_memory_output_stream_get_data_size
        (G_MEMORY_OUTPUT_STREAM (watch->written));
}

GST_START_TEST (test_the_last_bytes_are_told_before_they_are_written)
{
  guint8 *data = g_malloc (SIZE);
  GInputStream *file = g_memory_input_stream_new_from_data (data, SIZE, NULL);
  Watch watch = { g_memory_output_stream_new_resizable (), 0, 0, 0 };
  GInputStream *body = symbl_body_stream_new (file, SIZE, on_taken, &watch);
  gssize spliced;
  guint i;

  for (i = 0; i < SIZE; i++)
    data[i] = i * 7;
  spliced = g_output_stream_splice (watch.written, body,
      G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
      G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);

  fail_unless_equals_int (spliced, SIZE);
  fail_unless (memcmp (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM
              (watch.written)), data, SIZE) == 0);
  fail_unless (watch.reports >= 2);
  fail_unless_equals_uint64 (watch.last_taken, SIZE);
  /* All taken while the end of it was still to be written. */
  fail_unless (watch.written_when_all_taken < SIZE, "%" G_GSIZE_FORMAT,
      watch.written_when_all_taken);
  /* Closing the body closed the file. */
  fail_unless (g_input_stream_is_closed (file));

  g_object_unref (body);
  g_object_unref (file);
  g_object_unref (watch.written);
  g_free (data);
}

GST_END_TEST;

static Suite *
bodystream_suite (void)
{
  Suite *s = suite_create ("bodystream");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_the_last_bytes_are_told_before_they_are_written);
  return s;
}

GST_CHECK_MAIN (bodystream);
