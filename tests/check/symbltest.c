/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbltest.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/pbutils/pbutils.h>

void
symbl_test_setup (SymblTest * t)
{
  SymblLocalServerOptions options = { 0 };

  options.job_step_ms = 50;
  symbl_test_setup_with (t, &options);
}

void
symbl_test_setup_with (SymblTest * t, SymblLocalServerOptions * options)
{
  GError *error = NULL;

  options->quiet = TRUE;
  t->server = symbl_local_server_start (options, &error);
  fail_unless (t->server != NULL, "local server: %s",
      error ? error->message : "?");
  t->spool_dir = g_dir_make_tmp ("symbl-test-spool-XXXXXX", &error);
  fail_unless (t->spool_dir != NULL);
}

static void
remove_dir (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (!dir)
    return;
  while ((name = g_dir_read_name (dir))) {
    g_autofree gchar *child = g_build_filename (path, name, NULL);
    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_dir (child);
    else
      g_unlink (child);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

void
symbl_test_teardown (SymblTest * t)
{
  g_clear_pointer (&t->server, symbl_local_server_stop);
  if (t->spool_dir) {
    g_chmod (t->spool_dir, 0700);
    remove_dir (t->spool_dir);
  }
  g_clear_pointer (&t->spool_dir, g_free);
}

/* One suite per test program, so one fixture. */
static SymblTest *fixture;

static void
fixture_setup (void)
{
  symbl_test_setup (fixture);
}

static void
fixture_teardown (void)
{
  symbl_test_teardown (fixture);
}

void
symbl_test_add_fixture (TCase * tc, SymblTest * t)
{
  fixture = t;
  tcase_add_checked_fixture (tc, fixture_setup, fixture_teardown);
}

GstElement *
symbl_test_pipeline (const gchar * format, ...)
{
  g_autofree gchar *description = NULL;
  GError *error = NULL;
  GstElement *pipeline;
  va_list args;

  va_start (args, format);
  description = g_strdup_vprintf (format, args);
  va_end (args);

  pipeline = gst_parse_launch (description, &error);
  fail_unless (pipeline != NULL && error == NULL, "could not parse %s: %s",
      description, error ? error->message : "?");
  return pipeline;
}

gchar *
symbl_test_sink_props (SymblTest * t)
{
  return g_strdup_printf ("api-url=%s access-token=%s spool-dir=%s",
      symbl_local_server_get_url (t->server), TEST_TOKEN, t->spool_dir);
}

GList *
symbl_test_record (SymblTest * t, const gchar * sources, const gchar * extra)
{
  g_autofree gchar *props = symbl_test_sink_props (t);
  GstElement *pipeline = symbl_test_pipeline ("symblsink name=s %s %s %s",
      props, extra, sources);
  GList *messages = symbl_test_run (pipeline, 60);

  gst_object_unref (pipeline);
  return messages;
}

GList *
symbl_test_run (GstElement * pipeline, guint timeout_s)
{
  return symbl_test_run_with (pipeline, timeout_s, 0);
}

GList *
symbl_test_run_with (GstElement * pipeline, guint timeout_s,
    GstMessageType extra)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GList *messages = NULL;
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  GstStateChangeReturn ret;

  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (ret != GST_STATE_CHANGE_FAILURE) {
    gint64 left = deadline - g_get_monotonic_time ();
    GstMessage *msg;

    if (left <= 0)
      break;
    msg = gst_bus_timed_pop_filtered (bus, left * GST_USECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING |
        GST_MESSAGE_ELEMENT | extra);
    if (!msg)
      break;
    messages = g_list_append (messages, msg);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS
        || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      break;
  }
  /* Errors posted while going to READY (bad settings) are on the bus too. */
  if (ret == GST_STATE_CHANGE_FAILURE) {
    GstMessage *msg;
    while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR |
                GST_MESSAGE_WARNING | GST_MESSAGE_ELEMENT)))
      messages = g_list_append (messages, msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return messages;
}

void
symbl_test_messages_free (GList * messages)
{
  g_list_free_full (messages, (GDestroyNotify) gst_message_unref);
}

gint
symbl_test_index (GList * messages, GstMessageType type, const gchar * name)
{
  gint i = 0;
  GList *l;

  for (l = messages; l; l = l->next, i++) {
    GstMessage *msg = l->data;
    if (GST_MESSAGE_TYPE (msg) != type)
      continue;
    if (name && !gst_message_has_name (msg, name))
      continue;
    return i;
  }
  return -1;
}

gchar *
symbl_test_warnings (GList * messages)
{
  GString *warnings = g_string_new (NULL);
  GList *l;

  for (l = messages; l; l = l->next) {
    g_autoptr (GError) error = NULL;

    if (GST_MESSAGE_TYPE (l->data) != GST_MESSAGE_WARNING)
      continue;
    gst_message_parse_warning (l->data, &error, NULL);
    g_string_append_printf (warnings, "%s\n", error->message);
  }
  return g_string_free (warnings, FALSE);
}

guint
symbl_test_count_warnings (GList * messages, const gchar * needle)
{
  g_autofree gchar *text = symbl_test_warnings (messages);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;
  gchar **line;

  for (line = lines; *line; line++)
    n += strstr (*line, needle) != NULL;
  return n;
}

GstMessage *
symbl_test_find (GList * messages, GstMessageType type, const gchar * name)
{
  gint i = symbl_test_index (messages, type, name);

  return i < 0 ? NULL : g_list_nth_data (messages, i);
}

GstMessage *
symbl_test_expect_error (GList * messages, const gchar * needle)
{
  GstMessage *msg = symbl_test_find (messages, GST_MESSAGE_ERROR, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  fail_unless (msg != NULL, "expected an error containing \"%s\"", needle);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (error->message, needle) != NULL,
      "error \"%s\" lacks \"%s\"", error->message, needle);
  return msg;
}

GError *
symbl_test_error_at_ready (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GError *error = NULL;
  GstMessage *msg;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "going to READY failed without an error message");
  gst_message_parse_error (msg, &error, NULL);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return error;
}

GError *
symbl_test_warning_after_ready (GstElement * pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  gint64 start = g_get_monotonic_time ();
  GstMessage *warning;
  GError *error = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC / 10), "READY took %" G_GINT64_FORMAT
      " us", g_get_monotonic_time () - start);
  warning = gst_bus_timed_pop_filtered (bus,
      symbl_test_us (30 * G_USEC_PER_SEC) * GST_USECOND, GST_MESSAGE_WARNING);
  fail_unless (warning != NULL, "no warning");
  gst_message_parse_warning (warning, &error, NULL);
  gst_message_unref (warning);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return error;
}

GPtrArray *
symbl_test_requests (SymblTest * t, guint n)
{
  GPtrArray *requests = symbl_local_server_get_requests (t->server);

  fail_unless_equals_int (requests->len, n);
  return requests;
}

SymblRecordedRequest *
symbl_test_the_request (SymblTest * t)
{
  g_autoptr (GPtrArray) requests = symbl_test_requests (t, 1);

  return g_ptr_array_steal_index (requests, 0);
}

GBytes *
symbl_test_decode (const gchar * path)
{
  g_autoptr (GByteArray) pcm = g_byte_array_new ();
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=\"%s\" ! "
      "decodebin ! audioconvert ! audioresample ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "appsink name=out sync=false", path);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GstSample *sample;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstMapInfo map;
    gst_buffer_map (buffer, &map, GST_MAP_READ);
    g_byte_array_append (pcm, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)),
      "%s did not decode to the end", path);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return g_byte_array_free_to_bytes (g_steal_pointer (&pcm));
}

GstClockTime
symbl_test_discover (const gchar * path, gchar ** container)
{
  g_autoptr (GstDiscoverer) discoverer = gst_discoverer_new (10 * GST_SECOND,
      NULL);
  g_autofree gchar *uri = gst_filename_to_uri (path, NULL);
  g_autoptr (GstDiscovererInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  GstDiscovererStreamInfo *top;
  GstClockTime duration;

  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  fail_unless (info != NULL, "discoverer: %s", error ? error->message : "?");
  fail_unless_equals_int (gst_discoverer_info_get_result (info),
      GST_DISCOVERER_OK);
  duration = gst_discoverer_info_get_duration (info);
  top = gst_discoverer_info_get_stream_info (info);
  if (container) {
    GstCaps *caps = gst_discoverer_stream_info_get_caps (top);
    *container = gst_structure_get_name (gst_caps_get_structure (caps, 0)) ?
        g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0))) :
        NULL;
    gst_caps_unref (caps);
  }
  gst_discoverer_stream_info_unref (top);
  return duration;
}

static void
stream_free (SymblTestStream * stream)
{
  gst_clear_caps (&stream->caps);
  g_free (stream);
}

static GstPadProbeReturn
on_demuxed_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  SymblTestStream *stream = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime end = pts + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
      GST_BUFFER_DURATION (buffer) : 0);

  if (!stream->caps)
    stream->caps = gst_pad_get_current_caps (pad);
  stream->start = MIN (stream->start, pts);
  stream->end = stream->buffers ? MAX (stream->end, end) : end;
  stream->buffers++;
  return GST_PAD_PROBE_OK;
}

static void
on_demux_pad (GstElement * demux, GstPad * pad, GPtrArray * streams)
{
  GstElement *pipeline = GST_ELEMENT (gst_element_get_parent (demux));
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr (GstPad) sink_pad = gst_element_get_static_pad (sink, "sink");
  SymblTestStream *stream = g_new0 (SymblTestStream, 1);

  stream->start = GST_CLOCK_TIME_NONE;
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  gst_pad_link (pad, sink_pad);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_demuxed_buffer,
      stream, NULL);
  gst_element_sync_state_with_parent (sink);
  if (g_str_has_prefix (GST_PAD_NAME (pad), "video"))
    g_ptr_array_insert (streams, 0, stream);
  else
    g_ptr_array_add (streams, stream);
  gst_object_unref (pipeline);
}

GPtrArray *
symbl_test_mp4_streams (const gchar * path)
{
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify)
      stream_free);
  GstElement *pipeline = symbl_test_pipeline ("filesrc location=\"%s\" ! "
      "qtdemux name=demux", path);
  GstElement *demux = gst_bin_get_by_name (GST_BIN (pipeline), "demux");
  GList *messages;

  g_signal_connect (demux, "pad-added", G_CALLBACK (on_demux_pad), streams);
  messages = symbl_test_run (pipeline, 30);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL),
      "could not demux %s", path);
  symbl_test_messages_free (messages);
  gst_object_unref (demux);
  gst_object_unref (pipeline);
  return streams;
}

GBytes *
symbl_test_reference_sine (gdouble freq, guint n_samples)
{
  g_autoptr (GByteArray) pcm = g_byte_array_new ();
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc freq=%g "
      "samplesperbuffer=%u num-buffers=1 ! "
      "audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "appsink name=out sync=false", freq, n_samples);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GstSample *sample;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    GstMapInfo map;
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    g_byte_array_append (pcm, map.data, map.size);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return g_byte_array_free_to_bytes (g_steal_pointer (&pcm));
}

gdouble
symbl_test_estimate_frequency (GBytes * samples)
{
  gsize size;
  const gint16 *s = g_bytes_get_data (samples, &size);
  gsize n = size / 2, i, first = 0, last = 0, flips = 0;
  gint peak = 0, threshold, side = 0;

  for (i = 0; i < n; i++)
    peak = MAX (peak, ABS (s[i]));
  /* Count swings through +-threshold, so that codec noise around zero and
   * the silence of encoder delay count for nothing. */
  threshold = peak / 4;
  for (i = 0; i < n; i++) {
    gint now = s[i] > threshold ? 1 : s[i] < -threshold ? -1 : 0;
    if (now == 0 || now == side)
      continue;
    if (side != 0) {
      if (flips == 0)
        first = i;
      last = i;
      flips++;
    }
    side = now;
  }
  if (flips < 2)
    return 0;
  return (flips - 1) * 16000.0 / (2.0 * (last - first));
}

guint
symbl_test_closed_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback =
      g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  /* The kernel hands out a free port; once this socket closes, nothing
   * listens there and connections are refused. */
  fail_unless (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

guint
symbl_test_count_spool_files (SymblTest * t)
{
  GDir *dir = g_dir_open (t->spool_dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  if (!dir)
    return 0;
  while ((name = g_dir_read_name (dir)))
    n += !strstr (name, ".json");       /* a manifest, or one being written */
  g_dir_close (dir);
  return n;
}

glong
symbl_test_peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

gint64
symbl_test_us (gint64 us)
{
  const gchar *factor = g_getenv ("SYMBL_TEST_TIME_FACTOR");

  return factor ? us * g_ascii_strtoll (factor, NULL, 10) : us;
}

/* 16-bit mono at 16 kHz. */
#define SPEECH_BYTES_PER_SECOND (16000 * 2)

void
symbl_test_push_tone (GstAppSrc * src, gdouble freq, gdouble start,
    gdouble seconds)
{
  guint n = seconds * 16000, i;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;
  gint16 *s;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  s = (gint16 *) map.data;
  for (i = 0; i < n; i++)
    s[i] = 10000 * sin (2 * G_PI * freq * i / 16000);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = start * GST_SECOND;
  GST_BUFFER_DURATION (buffer) = seconds * GST_SECOND;
  fail_unless_equals_int (gst_app_src_push_buffer (src, buffer), GST_FLOW_OK);
}

GBytes *
symbl_test_span (GBytes * samples, gdouble from, gdouble to)
{
  gsize size = g_bytes_get_size (samples);
  gsize start = MIN ((gsize) (from * SPEECH_BYTES_PER_SECOND) & ~1, size);
  gsize end = MIN ((gsize) (to * SPEECH_BYTES_PER_SECOND) & ~1, size);

  return g_bytes_new_from_bytes (samples, start, end - start);
}

gdouble
symbl_test_rms (GBytes * samples)
{
  gsize size;
  const gint16 *s = g_bytes_get_data (samples, &size);
  gdouble sum = 0;
  gsize i, n = size / 2;

  for (i = 0; i < n; i++)
    sum += (gdouble) s[i] * s[i];
  return n ? sqrt (sum / n) : 0;
}

void
symbl_test_expect_span (GBytes * samples, gdouble from, gdouble to,
    gdouble freq, const gchar * what)
{
  g_autoptr (GBytes) part = symbl_test_span (samples, from, to);

  if (freq == 0) {
    fail_unless (symbl_test_rms (part) < 50, "%s: not silent (rms %.0f)",
        what, symbl_test_rms (part));
    return;
  }
  fail_unless (symbl_test_rms (part) > 1000, "%s: silent", what);
  fail_unless (fabs (symbl_test_estimate_frequency (part) - freq) < freq
      / 20, "%s: %.0f Hz, not %.0f", what,
      symbl_test_estimate_frequency (part), freq);
}
