/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Never lose a recording: each fault ends in a success with the same body,
 * or in a clear error with the recording kept. Retries, timeouts, TLS,
 * proxies and the spool's privacy. */
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "symbltest.h"

/* Retries come quickly in tests: 50 ms, 100 ms, ... */
#define FAST_RETRIES "retry-backoff-factor=0.05 keep-spool=true"

static SymblTest t;

static void
add_fault (const gchar * fault)
{
  GError *error = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, fault, &error),
      "%s: %s", fault, error ? error->message : "?");
}

/* @tenths of a second of audio through symblsink, with @extra properties;
 * the messages of @extra_types are collected too. */
static GList *
record_collecting (guint tenths, const gchar * extra,
    GstMessageType extra_types)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=1600 num-buffers=%u ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink name=s %s "
      FAST_RETRIES " %s", tenths, props, extra);
  GList *messages = symbl_test_run_with (pipeline, 60, extra_types);

  gst_object_unref (pipeline);
  return messages;
}

static GList *
record_tenths (guint tenths, const gchar * extra)
{
  return record_collecting (tenths, extra, 0);
}

/* Half a second of audio through symblsink, with @extra properties. */
static GList *
record (const gchar * extra)
{
  return record_tenths (5, extra);
}

static guint
count_messages (GList * messages, GstMessageType type)
{
  guint n = 0;

  for (; messages; messages = messages->next)
    n += GST_MESSAGE_TYPE (messages->data) == type;
  return n;
}

/* The n-th warning's details. */
static const GstStructure *
warning_details (GList * messages, guint n)
{
  const GstStructure *details = NULL;

  for (; messages; messages = messages->next) {
    if (GST_MESSAGE_TYPE (messages->data) != GST_MESSAGE_WARNING)
      continue;
    if (n-- == 0) {
      gst_message_parse_warning_details (messages->data, &details);
      return details;
    }
  }
  fail ("too few warnings");
  return NULL;
}

static gchar *
read_file (const gchar * path, gsize * size)
{
  gchar *contents = NULL;

  fail_unless (g_file_get_contents (path, &contents, size, NULL),
      "cannot read %s", path);
  return contents;
}

/* The job went through, and every body the server read is the recording
 * the element kept, byte for byte. */
static void
expect_success_with_identical_bodies (GList * messages)
{
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  const gchar *kept;
  g_autofree gchar *recording = NULL;
  gsize recording_size;
  guint i, complete = 0;

  fail_unless (job != NULL, "no symbl-job");
  fail_unless (symbl_test_index (messages, GST_MESSAGE_EOS, NULL) >
      symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  kept = gst_structure_get_string (gst_message_get_structure (job), "location");
  recording = read_file (kept, &recording_size);

  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    g_autofree gchar *body = NULL;
    gsize size;

    if (!r->body_path || r->body_length != recording_size)
      continue;
    body = read_file (r->body_path, &size);
    fail_unless (memcmp (body, recording, size) == 0,
        "attempt %u sent other bytes", i + 1);
    complete++;
  }
  fail_unless (complete >= 1);
  g_ptr_array_unref (requests);
}

GST_START_TEST (test_503_twice_then_201)
{
  GList *messages;
  const GstStructure *details;
  guint attempt = 0, status = 0;

  add_fault ("status=503,count=2");
  messages = record ("");
  expect_success_with_identical_bodies (messages);
  g_ptr_array_unref (symbl_test_requests (&t, 3));

  /* One warning per retry, before the job message. */
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 2);
  fail_unless (symbl_test_index (messages, GST_MESSAGE_WARNING, NULL) <
      symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  details = warning_details (messages, 1);
  gst_structure_get_uint (details, "attempt", &attempt);
  gst_structure_get_uint (details, "http-status-code", &status);
  fail_unless_equals_int (attempt, 2);
  fail_unless_equals_int (status, 503);
  fail_unless (strstr (gst_structure_get_string (details, "reason"),
          "HTTP 503") != NULL);

  symbl_test_messages_free (messages);
}

GST_END_TEST;

static gchar *manifest_state (const gchar * recording);

/* The delays announced by the progress messages of an upload waiting for
 * a free job slot, in bus order. */
static GArray *
slot_wait_delays (GList * messages)
{
  GArray *delays = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (; messages; messages = messages->next) {
    GstMessage *msg = messages->data;
    GstProgressType type;
    gchar *code, *text;
    gdouble delay;

    if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_PROGRESS)
      continue;
    gst_message_parse_progress (msg, &type, &code, &text);
    if (strstr (text, "Waiting for a free job slot")) {
      fail_unless (type == GST_PROGRESS_TYPE_CONTINUE);
      fail_unless_equals_string (code, "upload");
      fail_unless (gst_structure_get_double (gst_message_get_structure
              (msg), "retry-delay", &delay));
      g_array_append_val (delays, delay);
    }
    g_free (code);
    g_free (text);
  }
  return delays;
}

/* A 429 says the account's job slots are full: no fault, so no warning,
 * and no retry used up (retries=0) */
GST_START_TEST (test_429_waits_as_retry_after_says)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GArray) delays = NULL;
  GList *messages;

  add_fault ("status=429,retry-after=1");
  messages = record_collecting (5, "retries=0", GST_MESSAGE_PROGRESS);
  expect_success_with_identical_bodies (messages);
  g_ptr_array_unref (symbl_test_requests (&t, 2));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);
  delays = slot_wait_delays (messages);
  fail_unless_equals_int (delays->len, 1);
  fail_unless (g_array_index (delays, gdouble, 0) == 1.0, "waited %f s",
      g_array_index (delays, gdouble, 0));
  fail_unless (g_get_monotonic_time () - start >= G_USEC_PER_SEC);

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Without Retry-After, the waits for a slot start at 5 x
 * retry-backoff-factor (0.05 here) and double, give or take 20 %; as
 * many as it takes, whatever retries says. */
GST_START_TEST (test_429s_wait_for_a_slot_apart_from_retries)
{
  g_autoptr (GArray) delays = NULL;
  GList *messages;
  guint i;

  add_fault ("status=429,count=3");
  messages = record_collecting (5, "retries=0", GST_MESSAGE_PROGRESS);
  expect_success_with_identical_bodies (messages);
  g_ptr_array_unref (symbl_test_requests (&t, 4));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);
  delays = slot_wait_delays (messages);
  fail_unless_equals_int (delays->len, 3);
  for (i = 0; i < delays->len; i++) {
    gdouble expected = 0.25 * (1 << i);
    gdouble delay = g_array_index (delays, gdouble, i);

    fail_unless (delay >= 0.8 * expected && delay <= 1.2 * expected,
        "wait %u was %f s, not %f s give or take 20 %%", i + 1, delay,
        expected);
  }

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Slots that stay full past queue-timeout: an error that says so, and the
 * recording kept, ready to be sent later (symbl-outbox send). */
GST_START_TEST (test_queue_timeout_keeps_the_recording_ready)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GArray) delays = NULL;
  g_autofree gchar *state = NULL;
  const GstStructure *details;
  GstMessage *error;
  GList *messages;
  guint status = 0;

  add_fault ("status=429,count=1000");
  messages = record_collecting (5, "queue-timeout=1", GST_MESSAGE_PROGRESS);
  error = symbl_test_expect_error (messages,
      "job slots at Symbl stayed full for 1 s (queue-timeout)");
  /* libsoup 3.2 calls it "Unknown Error". */
  symbl_test_expect_error (messages, "HTTP 429 Too Many Requests: ");
  fail_unless (g_get_monotonic_time () - start >= G_USEC_PER_SEC);
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);
  delays = slot_wait_delays (messages);
  fail_unless (delays->len >= 1);

  gst_message_parse_error_details (error, &details);
  gst_structure_get_uint (details, "http-status-code", &status);
  fail_unless_equals_int (status, 429);
  fail_unless (strstr (gst_structure_get_string (details, "api-message"),
          "concurrent jobs") != NULL);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  state = manifest_state (gst_structure_get_string (details, "spool-location"));
  fail_unless_equals_string (state, "ready");

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Before the whole body went out, no job can exist: it is sent again.
 * Ten minutes (19 MB) is more than loopback's socket buffers hold, so
 * that the drop comes while the body is still being written. */
GST_START_TEST (test_connection_dropped_mid_body)
{
  GList *messages;

  add_fault ("drop=4096");
  messages = record_tenths (6000, "");
  expect_success_with_identical_bodies (messages);
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 1);

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* The state in the manifest beside @recording. */
static gchar *
manifest_state (const gchar * recording)
{
  g_autofree gchar *path = g_strconcat (recording, ".json", NULL);
  g_autofree gchar *contents = read_file (path, NULL);
  g_autoptr (JsonNode) root = json_from_string (contents, NULL);

  fail_unless (root != NULL, "%s is not JSON", path);
  return g_strdup (json_object_get_string_member (json_node_get_object
          (root), "state"));
}

/* Once the whole body went out, a reply that never comes may stand for a
 * job that Symbl made: sending again would bill a second one. */
GST_START_TEST (test_stall_after_the_body_is_not_resent)
{
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  g_autofree gchar *state = NULL;

  add_fault ("stall=3000");
  messages = record ("timeout=1");
  error = symbl_test_expect_error (messages, "Symbl may have created a job");
  symbl_test_expect_error (messages, "timed out");
  /* The server records the request once its stalled reply is out. */
  fail_unless (symbl_local_server_wait_requests (t.server, 1,
          symbl_test_us (10 * G_USEC_PER_SEC) / 1000));
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);

  gst_message_parse_error_details (error, &details);
  state = manifest_state (gst_structure_get_string (details, "spool-location"));
  fail_unless_equals_string (state, "sent-no-reply");

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Seconds since @start, as the monotonic clock counts them. */
static gdouble
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
}

/* A front end that ignores "Expect: 100-continue" (RFC 9110 allows it)
 * would stall an upload that waits for the 100 until the timeout. Not a
 * performance bound: the stall would take the whole 30 s timeout. */
GST_START_TEST (test_no_100_continue_does_not_stall)
{
  gint64 start = g_get_monotonic_time ();
  GList *messages;

  add_fault ("no-continue");
  messages = record_tenths (100, "timeout=30");
  fail_unless (seconds_since (start) < 10, "waited %.1f s", seconds_since
      (start));
  expect_success_with_identical_bodies (messages);
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* A refusal that comes while the body goes out (the server reads no more
 * of it and keeps the connection open) is reported at once, not after
 * the timeout, and the recording is kept. Ten minutes, 19 MB, is more
 * than loopback's socket buffers hold. */
GST_START_TEST (test_refusal_before_the_body_is_reported_at_once)
{
  gint64 start = g_get_monotonic_time ();
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  g_autofree gchar *state = NULL;

  add_fault ("early=413");
  /* Well within the timeout, recording included (12 s under valgrind). */
  messages = record_tenths (6000, "timeout=60");
  fail_unless (seconds_since (start) < 30, "waited %.1f s", seconds_since
      (start));
  error = symbl_test_expect_error (messages,
      "HTTP 413 Request Entity Too Large: injected 413 before the body");
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);
  gst_message_parse_error_details (error, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  state = manifest_state (gst_structure_get_string (details, "spool-location"));
  fail_unless_equals_string (state, "failed");

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* A reply that trickles in never idles long enough for the timeout: the
 * attempt still ends, twice the timeout after the body went out. Symbl
 * may have made a job: it is not sent again. */
GST_START_TEST (test_trickling_reply_has_a_deadline)
{
  gint64 start = g_get_monotonic_time ();
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  g_autofree gchar *state = NULL;

  add_fault ("trickle=500");
  messages = record ("timeout=2");
  fail_unless (seconds_since (start) < 10, "waited %.1f s", seconds_since
      (start));
  error = symbl_test_expect_error (messages, "Symbl may have created a job");
  symbl_test_expect_error (messages,
      "no complete reply within 4 s of sending the whole recording");
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  gst_message_parse_error_details (error, &details);
  state = manifest_state (gst_structure_get_string (details, "spool-location"));
  fail_unless_equals_string (state, "sent-no-reply");

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Asserts one request, no retry, and an error containing @needle. */
static void
expect_no_retry (const gchar * fault, const gchar * needle)
{
  GList *messages;
  GstMessage *error;
  const GstStructure *details;

  add_fault (fault);
  messages = record ("");
  error = symbl_test_expect_error (messages, needle);
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 0);
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  gst_message_parse_error_details (error, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  symbl_test_messages_free (messages);
}

GST_START_TEST (test_400_is_not_retried)
{
  expect_no_retry ("status=400,body={\"message\": \"Bad trackers\"}",
      "HTTP 400 Bad Request: Bad trackers");
}

GST_END_TEST;

GST_START_TEST (test_malformed_reply_is_not_retried)
{
  expect_no_retry ("reply={\"conversationId\": ", "not a JSON object");
}

GST_END_TEST;

GST_START_TEST (test_retries_run_out)
{
  GList *messages;
  GstMessage *error;
  const GstStructure *details;
  guint status = 0;

  add_fault ("status=502,count=10,body={\"message\": \"upstream down\"}");
  messages = record ("retries=2");
  error = symbl_test_expect_error (messages, "HTTP 502 Bad Gateway: "
      "upstream down");
  fail_unless_equals_int (count_messages (messages, GST_MESSAGE_WARNING), 2);
  g_ptr_array_unref (symbl_test_requests (&t, 3));

  gst_message_parse_error_details (error, &details);
  gst_structure_get_uint (details, "http-status-code", &status);
  fail_unless_equals_int (status, 502);
  fail_unless_equals_string (gst_structure_get_string (details,
          "api-message"), "upstream down");
  /* Complete and playable. */
  fail_unless_equals_uint64 (symbl_test_discover (gst_structure_get_string
          (details, "spool-location"), NULL), GST_SECOND / 2);

  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* NULL during the wait between two attempts: back at once, recording kept. */
GST_START_TEST (test_stop_during_backoff)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=1600 num-buffers=5 ! symblsink %s "
      "retry-backoff-factor=60", props);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  const GstStructure *details = NULL;
  gint64 start;

  add_fault ("status=503");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no retry warning");
  gst_message_unref (msg);

  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_READY);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC));

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning about the kept recording");
  gst_message_parse_warning_details (msg, &details);
  fail_unless (g_file_test (gst_structure_get_string (details,
              "spool-location"), G_FILE_TEST_IS_REGULAR));
  fail_if (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR));

  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A file where the directory should be: no recording can start. */
/* The error at READY for a symblsink spooling to @spool, which names it. */
static GError *
spool_dir_error (const gchar * spool)
{
  g_autofree gchar *props = g_strdup_printf ("api-url=%s access-token=%s "
      "spool-dir=%s", symbl_local_server_get_url (t.server), TEST_TOKEN, spool);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink %s", props);
  GError *error = symbl_test_error_at_ready (pipeline);

  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_WRITE));
  fail_unless (g_str_has_prefix (error->message, "spool-dir"), "%s",
      error->message);
  fail_unless (strstr (error->message, spool) != NULL);
  gst_object_unref (pipeline);
  return error;
}

GST_START_TEST (test_unwritable_spool_dir)
{
  g_autofree gchar *file = g_build_filename (t.spool_dir, "not-a-dir", NULL);
  g_autofree gchar *spool = g_build_filename (file, "spool", NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (file, "", 0, NULL);
  error = spool_dir_error (spool);
  fail_unless (strstr (error->message, "cannot be made a directory (Not a "
          "directory)") != NULL, "%s", error->message);
}

GST_END_TEST;

/* /proc exists, but takes no file: the error says so, not just the errno
 * (ENOENT) that would have it missing. */
GST_START_TEST (test_spool_dir_that_takes_no_file)
{
  g_autoptr (GError) error = spool_dir_error ("/proc");

  fail_unless (g_str_has_prefix (error->message, "spool-dir /proc cannot "
          "hold recordings: no file can be created in it ("), "%s",
      error->message);
}

GST_END_TEST;

/* The disk fills up while recording (a file size limit stands in for a
 * full disk): a clear error, what was recorded kept, no request. */
GST_START_TEST (test_disk_full_while_spooling)
{
  struct rlimit limit, saved;
  GstMessage *error, *eos;
  GList *messages;
  const GstStructure *details;
  const gchar *kept;
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=16000 num-buffers=20 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink %s", props);
  GstBus *bus = gst_element_get_bus (pipeline);
  struct stat st;

  signal (SIGXFSZ, SIG_IGN);
  getrlimit (RLIMIT_FSIZE, &saved);
  limit = saved;
  limit.rlim_cur = 256 * 1024;
  setrlimit (RLIMIT_FSIZE, &limit);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  error = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  /* The source ends the stream after the error: that EOS must not
   * upload the truncated recording. */
  eos = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  setrlimit (RLIMIT_FSIZE, &saved);

  fail_unless (eos != NULL, "no EOS after the error");
  messages = g_list_append (NULL, error);
  symbl_test_expect_error (messages, "Could not write the recording");
  symbl_test_expect_error (messages, "What was recorded so far is kept");
  gst_message_parse_error_details (error, &details);
  kept = gst_structure_get_string (details, "spool-location");
  fail_unless (g_stat (kept, &st) == 0);
  fail_unless (st.st_size > 0 && st.st_size <= 256 * 1024);
  g_ptr_array_unref (symbl_test_requests (&t, 0));

  symbl_test_messages_free (messages);
  gst_message_unref (eos);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The first recording (not a manifest) that appears in @dir, waiting up
 * to 10 s; NULL if none. */
static gchar *
wait_for_file (const gchar * dir)
{
  gint64 end = g_get_monotonic_time () + symbl_test_us (10 * G_USEC_PER_SEC);

  do {
    g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
    const gchar *name;

    /* Not a manifest (or one being written), nor the probe file that
     * checks spool-dir at READY, there for an instant. */
    while (listing && (name = g_dir_read_name (listing)))
      if (!strstr (name, ".json") && name[0] != '.')
        return g_build_filename (dir, name, NULL);
    g_usleep (10 * 1000);
  } while (g_get_monotonic_time () < end);
  return NULL;
}

/* Runs gst-launch-1.0 @pipeline_text in a process of its own and kills it
 * with SIGKILL @recording_us after its first file appears in @dir, as a
 * crash would; returns that file, left as the crash left it. */
static gchar *
record_then_kill (const gchar * pipeline_text, const gchar * dir,
    gint64 recording_us)
{
  g_autofree gchar *command = g_strdup_printf ("gst-launch-1.0 -q %s",
      pipeline_text);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  gchar *path;
  GPid pid;

  fail_unless (g_shell_parse_argv (command, NULL, &argv, &error));
  fail_unless (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error), "%s",
      error ? error->message : "?");
  path = wait_for_file (dir);
  if (path)
    g_usleep (recording_us);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  fail_unless (path != NULL, "gst-launch-1.0 %s wrote nothing", pipeline_text);
  return path;
}

static guint64
size_of (const gchar * path)
{
  struct stat st;

  fail_unless (g_stat (path, &st) == 0, "%s", path);
  return st.st_size;
}

static guint32
le32_at (const gchar * path, gsize offset)
{
  g_autofree gchar *contents = NULL;
  gsize length;
  const guint8 *at;

  fail_unless (g_file_get_contents (path, &contents, &length, NULL));
  fail_unless (length >= offset + 4);
  at = (const guint8 *) contents + offset;
  return at[0] | (at[1] << 8) | (at[2] << 16) | ((guint32) at[3] << 24);
}

/* 16 kHz mono S16LE, as symblsink records speech, in wavenc's 44-byte
 * header */
#define WAV_HEADER_SIZE 44
#define WAV_BYTES_PER_SECOND 32000
#define LIVE_SPEECH "audiotestsrc is-live=true samplesperbuffer=160 ! " \
  "audio/x-raw,rate=16000,channels=1"

/* A WAV cut short by kill -9 keeps wavenc's placeholder sizes
 * (0x7fff0000 bytes of data); uploaded again through filesrc, as
 * docs/reliability.md says, Symbl gets a header that tells the truth. */
GST_START_TEST (test_wav_cut_short_by_a_crash_is_repaired)
{
  g_autofree gchar *dir = g_build_filename (t.spool_dir, "crashed", NULL);
  g_autofree gchar *launch = g_strdup_printf (LIVE_SPEECH " ! wavenc ! "
      "filesink buffer-mode=unbuffered location=%s/meeting.wav", dir);
  g_autofree gchar *props = symbl_test_sink_props (&t);
  g_autofree gchar *kept = NULL;
  SymblRecordedRequest *request;
  GstElement *pipeline;
  GList *messages;
  guint64 size, audio_bytes;
  GstClockTime duration;

  g_mkdir_with_parents (dir, 0700);
  kept = record_then_kill (launch, dir, 500 * G_TIME_SPAN_MILLISECOND);
  size = size_of (kept);
  fail_unless (size > WAV_HEADER_SIZE);
  fail_unless_equals_uint64 (le32_at (kept, 40), 0x7fff0000);
  audio_bytes = (size - WAV_HEADER_SIZE) & ~G_GUINT64_CONSTANT (1);

  pipeline = symbl_test_pipeline ("filesrc location=%s ! symbluploadsink %s",
      kept, props);
  messages = symbl_test_run (pipeline, 60);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL) == NULL);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT,
          "symbl-job") != NULL);

  /* Every byte went, and the header now says what they hold */
  request = symbl_test_the_request (&t);
  fail_unless_equals_uint64 (request->body_length, size);
  fail_unless_equals_uint64 (le32_at (request->body_path, 4), size - 8);
  fail_unless_equals_uint64 (le32_at (request->body_path, 40), audio_bytes);
  duration = symbl_test_discover (request->body_path, NULL);
  fail_unless_equals_uint64 (duration, gst_util_uint64_scale (audio_bytes,
          GST_SECOND, WAV_BYTES_PER_SECOND));

  symbl_recorded_request_free (request);
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* symblsink killed while recording keeps all but the last second, however
 * low the byte rate: at 32 kB/s, two seconds fit in one 64 KiB write
 * buffer, which used to be lost whole. */
GST_START_TEST (test_kill_while_recording_loses_at_most_a_second)
{
  const gint64 recorded_s = 2;
  g_autofree gchar *props = symbl_test_sink_props (&t);
  g_autofree gchar *launch = g_strdup_printf (LIVE_SPEECH " ! symblsink %s",
      props);
  g_autofree gchar *kept = record_then_kill (launch, t.spool_dir,
      recorded_s * G_USEC_PER_SEC);
  guint64 size = size_of (kept);

  fail_unless (size >= WAV_HEADER_SIZE + (recorded_s - 1) *
      WAV_BYTES_PER_SECOND, "%s holds %" G_GUINT64_FORMAT " bytes after %"
      G_GINT64_FORMAT " s of recording", kept, size, recorded_s);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
}

GST_END_TEST;

/* A spool-dir that could not hold four hours is told of at READY. A
 * file system of 2 MB of its own, in a mount namespace: root only. */
GST_START_TEST (test_a_small_spool_dir_is_warned_of)
{
  g_autofree gchar *dir = g_build_filename (t.spool_dir, "tiny", NULL);
  g_autofree gchar *script = g_strdup_printf ("mount -t tmpfs -o size=2m "
      "none %s && gst-launch-1.0 audiotestsrc num-buffers=1 ! symblsink "
      "format=opus spool-dir=%s api-url=%s access-token=%s", dir, dir,
      symbl_local_server_get_url (t.server), TEST_TOKEN);
  const gchar *argv[] = { "unshare", "--mount", "sh", "-c", script, NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status;

  if (getuid () != 0) {
    g_print ("skipped: needs root for a file system of its own\n");
    return;
  }
  fail_unless (g_mkdir (dir, 0700) == 0);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL,
          G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
  /* gst-launch-1.0 prints warnings on its standard output. */
  fail_unless (strstr (out, "that four hours of one speaker take as opus")
      != NULL, "%s%s", out, err);
  fail_unless (strstr (out, "45.2 MB") != NULL, "%s", out);
}

GST_END_TEST;

GST_START_TEST (test_spool_file_is_private)
{
  GList *messages = record ("");
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  struct stat st;

  fail_unless (job != NULL);
  fail_unless (g_stat (gst_structure_get_string (gst_message_get_structure
              (job), "location"), &st) == 0);
  fail_unless_equals_int (st.st_mode & 0777, 0600);
  fail_unless (g_stat (t.spool_dir, &st) == 0);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_user_agent)
{
  GPtrArray *requests;

  symbl_test_messages_free (record (""));
  symbl_test_messages_free (record ("user-agent=\"MediaServer/2.1\""));
  requests = symbl_test_requests (&t, 2);
  fail_unless (g_str_has_prefix (g_hash_table_lookup (((SymblRecordedRequest
                      *) g_ptr_array_index (requests, 0))->headers,
              "user-agent"), "GStreamer symblsink/"));
  fail_unless_equals_string (g_hash_table_lookup (((SymblRecordedRequest *)
              g_ptr_array_index (requests, 1))->headers, "user-agent"),
      "MediaServer/2.1");
  g_ptr_array_unref (requests);
}

GST_END_TEST;

/* HTTPS with a certificate signed by a private CA. */
static SymblLocalServer *
start_tls_server (void)
{
  SymblLocalServerOptions options = { 0 };
  SymblLocalServer *server;
  GError *error = NULL;

  options.quiet = TRUE;
  options.tls_cert_file = SYMBL_TEST_DATA "/tls/server.pem";
  options.tls_key_file = SYMBL_TEST_DATA "/tls/server.key";
  server = symbl_local_server_start (&options, &error);
  fail_unless (server != NULL, "%s", error ? error->message : "?");
  fail_unless (g_str_has_prefix (symbl_local_server_get_url (server),
          "https://"));
  return server;
}

static GList *
record_tls (SymblLocalServer * server, const gchar * extra)
{
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink api-url=%s access-token=%s spool-dir=%s "
      "retry-backoff-factor=0.05 %s", symbl_local_server_get_url (server),
      TEST_TOKEN, t.spool_dir, extra);
  GList *messages = symbl_test_run (pipeline, 30);

  gst_object_unref (pipeline);
  return messages;
}

static gboolean
has_retry_warning (GList * messages)
{
  for (; messages; messages = messages->next) {
    g_autoptr (GError) error = NULL;

    if (GST_MESSAGE_TYPE (messages->data) != GST_MESSAGE_WARNING)
      continue;
    gst_message_parse_warning (messages->data, &error, NULL);
    if (g_str_has_prefix (error->message, "Upload attempt"))
      return TRUE;
  }
  return FALSE;
}

GST_START_TEST (test_tls_is_verified)
{
  SymblLocalServer *server = start_tls_server ();
  GList *messages;

  /* Unknown CA: refused, and not retried (it won't get better): no retry
   * warning; the error says why. */
  messages = record_tls (server, "");
  symbl_test_expect_error (messages, "Could not upload the recording");
  symbl_test_expect_error (messages, "issued by an authority this machine "
      "does not trust");
  fail_if (has_retry_warning (messages));
  symbl_test_messages_free (messages);

  messages = record_tls (server, "ssl-ca-file=" SYMBL_TEST_DATA "/tls/ca.pem");
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"),
      "the private CA was not trusted");
  symbl_test_messages_free (messages);

  messages = record_tls (server, "ssl-strict=false");
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  symbl_test_messages_free (messages);

  symbl_local_server_stop (server);
}

GST_END_TEST;

/* Going to READY never waits on the network: a certificate this machine
 * does not trust, and a server that never answers, are warnings that come
 * once the check ends, while recording could go on. */
GST_START_TEST (test_ready_never_waits_on_the_network)
{
  SymblLocalServer *server = start_tls_server ();
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc ! symblsink "
      "api-url=%s access-token=%s spool-dir=%s",
      symbl_local_server_get_url (server), TEST_TOKEN, t.spool_dir);
  g_autoptr (GError) untrusted = symbl_test_warning_after_ready (pipeline);
  g_autoptr (GError) stalled = NULL;

  fail_unless (strstr (untrusted->message, "issued by an authority this "
          "machine does not trust") != NULL, "%s", untrusted->message);
  fail_unless (strstr (untrusted->message, "ssl-ca-file") != NULL);
  gst_object_unref (pipeline);
  symbl_local_server_stop (server);

  /* App credentials are checked by generating the token. */
  add_fault ("stall=0,path=/oauth2/token:generate");
  pipeline = symbl_test_pipeline ("audiotestsrc ! symblsink timeout=1 "
      "api-url=%s spool-dir=%s app-id=" SYMBL_LOCAL_SERVER_DEFAULT_APP_ID
      " app-secret=" SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET,
      symbl_local_server_get_url (t.server), t.spool_dir);
  stalled = symbl_test_warning_after_ready (pipeline);
  fail_unless (strstr (stalled->message, "Could not check the app "
          "credentials now") != NULL, "%s", stalled->message);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A proxy on loopback that answers nothing: it keeps what each connection
 * sent up to the end of its headers, then closes it. */
typedef struct
{
  GSocketListener *listener;
  GCancellable *cancellable;
  GThread *thread;
  gchar *url;
  GMutex lock;
  GString *received;
  guint connections;
} FakeProxy;

static void
fake_proxy_read (FakeProxy * proxy, GSocketConnection * connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr (GString) request = g_string_new (NULL);
  gchar chunk[4096];
  gssize n;

  while (!strstr (request->str, "\r\n\r\n") && request->len < 65536
      && (n = g_input_stream_read (in, chunk, sizeof chunk - 1,
              proxy->cancellable, NULL)) > 0)
    g_string_append_len (request, chunk, n);
  g_mutex_lock (&proxy->lock);
  proxy->connections++;
  g_string_append (proxy->received, request->str);
  g_mutex_unlock (&proxy->lock);
}

static gpointer
fake_proxy_run (gpointer data)
{
  FakeProxy *proxy = data;
  GSocketConnection *connection;

  while ((connection = g_socket_listener_accept (proxy->listener, NULL,
              proxy->cancellable, NULL))) {
    fake_proxy_read (proxy, connection);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    g_object_unref (connection);
  }
  return NULL;
}

static FakeProxy *
fake_proxy_start (void)
{
  FakeProxy *proxy = g_new0 (FakeProxy, 1);
  g_autoptr (GInetAddress) loopback =
      g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  proxy->listener = g_socket_listener_new ();
  fail_unless (g_socket_listener_add_address (proxy->listener, any_port,
          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  proxy->cancellable = g_cancellable_new ();
  proxy->received = g_string_new (NULL);
  g_mutex_init (&proxy->lock);
  proxy->thread = g_thread_new ("fake-proxy", fake_proxy_run, proxy);
  return proxy;
}

/* What the proxy was sent; its connections in @connections. */
static gchar *
fake_proxy_stop (FakeProxy * proxy, guint * connections)
{
  gchar *received;

  g_cancellable_cancel (proxy->cancellable);
  g_thread_join (proxy->thread);
  g_socket_listener_close (proxy->listener);
  *connections = proxy->connections;
  received = g_string_free (proxy->received, FALSE);
  g_object_unref (proxy->listener);
  g_object_unref (proxy->cancellable);
  g_mutex_clear (&proxy->lock);
  g_free (proxy->url);
  g_free (proxy);
  return received;
}

/* Points every proxy setting of the environment at @url (NULL: none). */
static void
set_proxy_environment (const gchar * url, const gchar * no_proxy)
{
  g_setenv ("http_proxy", url ? url : "", TRUE);
  g_setenv ("https_proxy", url ? url : "", TRUE);
  g_setenv ("no_proxy", no_proxy, TRUE);
}

/* Plain http:// goes only to this machine, and never through a proxy,
 * which would read the token in clear: neither the property's nor the
 * environment's. */
GST_START_TEST (test_loopback_never_goes_through_a_proxy)
{
  FakeProxy *proxy = fake_proxy_start ();
  g_autofree gchar *with_property = g_strdup_printf ("proxy=%s", proxy->url);
  g_autofree gchar *received = NULL;
  guint connections;
  GList *messages;

  set_proxy_environment (proxy->url, "");
  messages = record (with_property);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  symbl_test_messages_free (messages);
  messages = record ("");
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  symbl_test_messages_free (messages);
  set_proxy_environment (NULL, "*");

  received = fake_proxy_stop (proxy, &connections);
  fail_unless_equals_int (connections, 0);
  fail_unless_equals_string (received, "");
  g_ptr_array_unref (symbl_test_requests (&t, 2));
}

GST_END_TEST;

/* An API elsewhere (0.0.0.0 is not loopback, yet connects to this
 * machine, where nothing listens on that port), with @extra properties:
 * what a proxy there got, and the messages. */
static gchar *
record_via_proxy (FakeProxy * proxy, const gchar * extra, GList ** messages)
{
  guint connections;
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink api-url=https://0.0.0.0:%u access-token=%s spool-dir=%s "
      "retries=0 %s", symbl_test_closed_port (), TEST_TOKEN, t.spool_dir,
      extra);

  *messages = symbl_test_run (pipeline, 30);
  gst_object_unref (pipeline);
  return fake_proxy_stop (proxy, &connections);
}

/* Through the proxy, https:// is a tunnel: the proxy sees the host, never
 * the token. */
static void
expect_tunnel (const gchar * received)
{
  fail_unless (g_str_has_prefix (received, "CONNECT 0.0.0.0:"), "%s", received);
  fail_if (strstr (received, TEST_TOKEN), "the proxy saw the token");
}

GST_START_TEST (test_proxy_property)
{
  FakeProxy *proxy = fake_proxy_start ();
  g_autofree gchar *extra = g_strdup_printf ("proxy=%s", proxy->url);
  g_autofree gchar *received = NULL;
  GList *messages;

  received = record_via_proxy (proxy, extra, &messages);
  expect_tunnel (received);
  symbl_test_expect_error (messages, "Could not upload the recording");
  symbl_test_messages_free (messages);

  g_free (record_via_proxy (fake_proxy_start (), "proxy=not-a-url", &messages));
  symbl_test_expect_error (messages, "proxy is not a URL");
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_proxy_environment)
{
  FakeProxy *proxy = fake_proxy_start ();
  g_autofree gchar *received = NULL;
  GList *messages;

  set_proxy_environment (proxy->url, "example.com");
  received = record_via_proxy (proxy, "", &messages);
  expect_tunnel (received);
  symbl_test_messages_free (messages);
  g_free (received);

  /* no_proxy names the host: straight there, where nothing listens. */
  proxy = fake_proxy_start ();
  set_proxy_environment (proxy->url, "example.com, 0.0.0.0");
  received = record_via_proxy (proxy, "", &messages);
  fail_unless_equals_string (received, "");
  symbl_test_expect_error (messages, "Could not upload the recording");
  symbl_test_messages_free (messages);

  set_proxy_environment (NULL, "*");
  g_ptr_array_unref (symbl_test_requests (&t, 0));
}

GST_END_TEST;

static Suite *
reliability_suite (void)
{
  Suite *s = suite_create ("reliability");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_503_twice_then_201);
  tcase_add_test (tc, test_429_waits_as_retry_after_says);
  tcase_add_test (tc, test_429s_wait_for_a_slot_apart_from_retries);
  tcase_add_test (tc, test_queue_timeout_keeps_the_recording_ready);
  tcase_add_test (tc, test_connection_dropped_mid_body);
  tcase_add_test (tc, test_stall_after_the_body_is_not_resent);
  tcase_add_test (tc, test_400_is_not_retried);
  tcase_add_test (tc, test_no_100_continue_does_not_stall);
  tcase_add_test (tc, test_refusal_before_the_body_is_reported_at_once);
  tcase_add_test (tc, test_trickling_reply_has_a_deadline);
  tcase_add_test (tc, test_malformed_reply_is_not_retried);
  tcase_add_test (tc, test_retries_run_out);
  tcase_add_test (tc, test_stop_during_backoff);
  tcase_add_test (tc, test_unwritable_spool_dir);
  tcase_add_test (tc, test_spool_dir_that_takes_no_file);
  tcase_add_test (tc, test_disk_full_while_spooling);
  tcase_add_test (tc, test_wav_cut_short_by_a_crash_is_repaired);
  tcase_add_test (tc, test_kill_while_recording_loses_at_most_a_second);
  tcase_add_test (tc, test_spool_file_is_private);
  tcase_add_test (tc, test_a_small_spool_dir_is_warned_of);
  tcase_add_test (tc, test_user_agent);
  tcase_add_test (tc, test_tls_is_verified);
  tcase_add_test (tc, test_ready_never_waits_on_the_network);
  tcase_add_test (tc, test_proxy_property);
  tcase_add_test (tc, test_proxy_environment);
  tcase_add_test (tc, test_loopback_never_goes_through_a_proxy);
  return s;
}

GST_CHECK_MAIN (reliability);
