/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Following the job: its statuses, its detected trackers, its failure and
 * timeout; progress messages; appending to a conversation. */
#include <json-glib/json-glib.h>
#include "symbltest.h"

#define TRACKERS "[{\"name\":\"COVID-19\",\"vocabulary\":[\"vaccination\"," \
    "\"social distancing\"]}]"

static SymblTest t;

static void
setup (void)
{
  SymblLocalServerOptions options = { 0 };

  /* 300 ms in scheduled, 300 ms in in_progress: polled every 100 ms, each
   * is seen. */
  options.job_step_ms = 300;
  symbl_test_setup_with (&t, &options);
}

static void
teardown (void)
{
  symbl_test_teardown (&t);
}

static GstElement *
pipeline_with_trackers (const gchar * extra, const gchar * trackers)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc "
      "samplesperbuffer=1600 num-buffers=5 ! audio/x-raw,rate=16000,channels=1 "
      "! symblsink name=s %s wait-for-job=true poll-interval=100 "
      "retry-backoff-factor=0.05 %s", props, extra);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");

  g_object_set (sink, "trackers", trackers, NULL);
  gst_object_unref (sink);
  return pipeline;
}

static GstElement *
pipeline_with (const gchar * extra)
{
  return pipeline_with_trackers (extra, TRACKERS);
}

static GList *
record (const gchar * extra, GstMessageType also)
{
  GstElement *pipeline = pipeline_with (extra);
  GList *messages = symbl_test_run_with (pipeline, 30, also);

  gst_object_unref (pipeline);
  return messages;
}

/* The statuses posted, in order, joined by spaces. */
static gchar *
statuses (GList * messages)
{
  GString *text = g_string_new (NULL);

  for (; messages; messages = messages->next)
    if (gst_message_has_name (messages->data, "symbl-job-status"))
      g_string_append_printf (text, "%s%s", text->len ? " " : "",
          gst_structure_get_string (gst_message_get_structure
              (messages->data), "status"));
  return g_string_free (text, FALSE);
}

/* The reply the server gave to the request for @path. */
static gchar *
reply_to (const gchar * suffix)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  gchar *reply = NULL;
  guint i;

  for (i = 0; i < requests->len && !reply; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    if (g_str_has_suffix (r->path, suffix))
      reply = g_strdup (r->reply);
  }
  g_ptr_array_unref (requests);
  return reply;
}

GST_START_TEST (test_job_followed_to_its_trackers)
{
  GList *messages = record ("", 0);
  g_autofree gchar *seen = statuses (messages);
  g_autofree gchar *detected = reply_to ("/trackers-detected");
  GstMessage *job = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-job");
  GstMessage *trackers = symbl_test_find (messages, GST_MESSAGE_ELEMENT,
      "symbl-trackers");
  const GstStructure *s;

  fail_unless (job != NULL && trackers != NULL);
  fail_unless_equals_string (seen, "scheduled in_progress completed");

  /* symbl-job, the statuses, symbl-trackers, then EOS. */
  fail_unless (symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job") <
      symbl_test_index (messages, GST_MESSAGE_ELEMENT, "symbl-job-status"));
  fail_unless (symbl_test_index (messages, GST_MESSAGE_ELEMENT,
          "symbl-trackers") < symbl_test_index (messages, GST_MESSAGE_EOS,
          NULL));
  fail_unless_equals_int (g_list_index (messages, trackers),
      symbl_test_index (messages, GST_MESSAGE_EOS, NULL) - 1);

  /* The trackers as the API returned them, for this conversation. */
  s = gst_message_get_structure (trackers);
  fail_unless_equals_string (gst_structure_get_string (s, "trackers"),
      detected);
  fail_unless (strstr (detected, "\"name\":\"COVID-19\"") != NULL
      || strstr (detected, "\"name\": \"COVID-19\"") != NULL, "%s", detected);
  fail_unless_equals_string (gst_structure_get_string (s, "conversation-id"),
      gst_structure_get_string (gst_message_get_structure (job),
          "conversation-id"));
  fail_unless_equals_string (gst_structure_get_string (s, "job-id"),
      gst_structure_get_string (gst_message_get_structure (job), "job-id"));

  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_failed_job_is_an_error)
{
  GList *messages;
  g_autofree gchar *seen = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, "job-fails", NULL));
  messages = record ("", 0);
  seen = statuses (messages);
  fail_unless (g_str_has_suffix (seen, "failed"), "%s", seen);
  symbl_test_expect_error (messages, "was uploaded (conversation ");
  symbl_test_expect_error (messages, "failed");
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-trackers"));
  fail_if (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_job_timeout)
{
  GList *messages;

  symbl_test_teardown (&t);
  {
    SymblLocalServerOptions options = { 0 };
    options.job_step_ms = 60000;
    symbl_test_setup_with (&t, &options);
  }
  messages = record ("job-timeout=1", 0);
  symbl_test_expect_error (messages, "was not completed within job-timeout "
      "(1 s); its last status was scheduled");
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* How many requests went to a path ending with @suffix. */
static guint
requests_to (const gchar * suffix)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  guint i, n = 0;

  for (i = 0; i < requests->len; i++)
    n += g_str_has_suffix (((SymblRecordedRequest *)
            g_ptr_array_index (requests, i))->path, suffix);
  g_ptr_array_unref (requests);
  return n;
}

/* Runs a symblsink that waits for its job with @trackers (NULL: none)
 * and @extra properties; checks the job completed, with no error. */
static GList *
record_to_completion (const gchar * extra, const gchar * trackers)
{
  GstElement *pipeline = pipeline_with_trackers (extra, trackers);
  GList *messages = symbl_test_run (pipeline, 30);
  g_autofree gchar *seen = statuses (messages);

  fail_if (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  fail_unless (g_str_has_suffix (seen, "completed"), "%s", seen);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL));
  gst_object_unref (pipeline);
  return messages;
}

/* No trackers sent and enable-all-trackers unset: nothing to detect, so
 * no trackers-detected request and no symbl-trackers. */
GST_START_TEST (test_no_trackers_no_trackers_detected)
{
  GList *messages = record_to_completion ("", NULL);

  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-trackers"));
  fail_if (symbl_test_find (messages, GST_MESSAGE_WARNING, NULL));
  fail_unless_equals_int (requests_to ("/trackers-detected"), 0);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* enable-all-trackers alone (the stored trackers): they are fetched. */
GST_START_TEST (test_all_trackers_are_fetched)
{
  GList *messages = record_to_completion ("enable-all-trackers=true", NULL);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT,
          "symbl-trackers"));
  fail_unless_equals_int (requests_to ("/trackers-detected"), 1);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* A trackers-detected reply that is not an array: a warning that says
 * so, and the job still completed (no error, EOS). */
GST_START_TEST (test_trackers_detected_not_an_array_is_a_warning)
{
  g_autofree gchar *warnings = NULL;
  GList *messages;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "path=/v1/conversations,reply={}", NULL));
  messages = record_to_completion ("", TRACKERS);
  warnings = symbl_test_warnings (messages);
  fail_unless (strstr (warnings, "completed, but its detected "
          "trackers could not be read: the reply to GET /v1/conversations/")
      != NULL, "%s", warnings);
  fail_unless (strstr (warnings, "/trackers-detected is not a JSON "
          "array") != NULL, "%s", warnings);
  fail_if (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-trackers"));
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* A failed look at the job (503) waits and looks again. */
GST_START_TEST (test_a_failed_look_is_retried)
{
  GList *messages;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=503,path=/v1/job", NULL));
  messages = record ("", 0);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT,
          "symbl-trackers"));
  fail_unless (symbl_test_find (messages, GST_MESSAGE_WARNING, NULL));
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_stop_while_waiting_for_the_job)
{
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  gint64 start;

  symbl_test_teardown (&t);
  {
    SymblLocalServerOptions options = { 0 };
    options.job_step_ms = 60000;
    symbl_test_setup_with (&t, &options);
  }
  pipeline = pipeline_with ("");
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT);
  fail_unless (msg && gst_message_has_name (msg, "symbl-job"));
  gst_message_unref (msg);

  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC));
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Progress for gst-launch-1.0 and applications: the upload, then the job,
 * each started and completed, the upload's percentage rising to 100. */
GST_START_TEST (test_progress_messages)
{
  GList *messages = record ("", GST_MESSAGE_PROGRESS), *l;
  g_autoptr (GString) sequence = g_string_new (NULL);
  gint last_percent = -1;

  for (l = messages; l; l = l->next) {
    GstProgressType type;
    g_autofree gchar *code = NULL;
    g_autofree gchar *text = NULL;
    gint percent;

    if (GST_MESSAGE_TYPE (l->data) != GST_MESSAGE_PROGRESS)
      continue;
    gst_message_parse_progress (l->data, &type, &code, &text);
    if (type == GST_PROGRESS_TYPE_CONTINUE && g_str_equal (code, "upload")) {
      gst_structure_get_int (gst_message_get_structure (l->data), "percent",
          &percent);
      fail_unless (percent > last_percent, "%d after %d", percent,
          last_percent);
      last_percent = percent;
      continue;
    }
    g_string_append_printf (sequence, "%s:%s ", code,
        type == GST_PROGRESS_TYPE_START ? "start" :
        type == GST_PROGRESS_TYPE_COMPLETE ? "complete" :
        type == GST_PROGRESS_TYPE_CONTINUE ? "continue" : "other");
  }
  fail_unless_equals_int (last_percent, 100);
  fail_unless_equals_string (sequence->str, "upload:start upload:complete "
      "job:start job:continue job:continue job:continue job:complete ");
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* conversation-id appends with PUT, to that conversation. */
GST_START_TEST (test_append_to_a_conversation)
{
  GList *messages = record ("wait-for-job=false", 0);
  const gchar *conversation;
  g_autofree gchar *extra = NULL;
  GPtrArray *requests;
  SymblRecordedRequest *put = NULL;
  guint i;

  conversation = gst_structure_get_string (gst_message_get_structure
      (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job")),
      "conversation-id");
  extra = g_strdup_printf ("wait-for-job=false conversation-id=%s",
      conversation);
  {
    GList *appended = record (extra, 0);
    GstMessage *job = symbl_test_find (appended, GST_MESSAGE_ELEMENT,
        "symbl-job");
    fail_unless (job != NULL);
    fail_unless_equals_string (gst_structure_get_string
        (gst_message_get_structure (job), "conversation-id"), conversation);
    symbl_test_messages_free (appended);
  }

  requests = symbl_local_server_get_requests (t.server);
  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    if (g_str_equal (r->method, "PUT"))
      put = r;
  }
  fail_unless (put != NULL, "no PUT");
  fail_unless (g_str_has_prefix (put->path, "/v1/process/audio/"));
  fail_unless (g_str_has_suffix (put->path, conversation));
  fail_unless_equals_int (put->status, 201);

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

static Suite *
jobs_suite (void)
{
  Suite *s = suite_create ("jobs");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_job_followed_to_its_trackers);
  tcase_add_test (tc, test_failed_job_is_an_error);
  tcase_add_test (tc, test_job_timeout);
  tcase_add_test (tc, test_a_failed_look_is_retried);
  tcase_add_test (tc, test_stop_while_waiting_for_the_job);
  tcase_add_test (tc, test_progress_messages);
  tcase_add_test (tc, test_append_to_a_conversation);
  tcase_add_test (tc, test_no_trackers_no_trackers_detected);
  tcase_add_test (tc, test_all_trackers_are_fetched);
  tcase_add_test (tc, test_trackers_detected_not_an_array_is_a_warning);
  return s;
}

GST_CHECK_MAIN (jobs);
