/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* App credentials: tokens generated with POST /oauth2/token:generate,
 * shared by every element of the process, renewed before they expire and
 * when the API refuses them. */
#include <json-glib/json-glib.h>
#include "symbltest.h"

#define APP "app-id=" SYMBL_LOCAL_SERVER_DEFAULT_APP_ID \
    " app-secret=" SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET

static SymblTest t;

static void
setup (void)
{
  SymblLocalServerOptions options = { 0 };

  /* Generated tokens live 2 s here, so that renewal shows. */
  options.token_lifetime_s = 2;
  symbl_test_setup_with (&t, &options);
}

static void
teardown (void)
{
  symbl_test_teardown (&t);
}

/* Half a second through symblsink, authenticated as @auth says. */
static GstElement *
pipeline_with (const gchar * auth, const gchar * extra)
{
  return symbl_test_pipeline ("audiotestsrc samplesperbuffer=1600 "
      "num-buffers=5 ! audio/x-raw,rate=16000,channels=1 ! symblsink "
      "api-url=%s spool-dir=%s retry-backoff-factor=0.05 %s %s",
      symbl_local_server_get_url (t.server), t.spool_dir, auth, extra);
}

static GList *
record_with (const gchar * auth, const gchar * extra)
{
  GstElement *pipeline = pipeline_with (auth, extra);
  GList *messages = symbl_test_run (pipeline, 30);

  gst_object_unref (pipeline);
  return messages;
}

/* The requests to @path, and the tokens the API handed out. */
static guint
count_requests (const gchar * path, GPtrArray * tokens)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  guint i, n = 0;

  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    if (!g_str_equal (r->path, path))
      continue;
    n++;
    if (tokens && r->status == 200) {
      g_autoptr (JsonNode) reply = json_from_string (r->reply, NULL);
      g_ptr_array_add (tokens, g_strdup (json_object_get_string_member
              (json_node_get_object (reply), "accessToken")));
    }
  }
  g_ptr_array_unref (requests);
  return n;
}

/* The Authorization of every upload. */
static GPtrArray *
upload_authorizations (void)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  GPtrArray *authorizations = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);
    if (g_str_has_prefix (r->path, "/v1/process/"))
      g_ptr_array_add (authorizations,
          g_strdup (g_hash_table_lookup (r->headers, "authorization")));
  }
  g_ptr_array_unref (requests);
  return authorizations;
}

/* Two pipelines at once in one process: one token, asked for once. */
GST_START_TEST (test_one_token_for_the_whole_process)
{
  GstElement *a = pipeline_with (APP, "");
  GstElement *b = pipeline_with (APP, "");
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) authorizations = NULL;
  g_autofree gchar *bearer = NULL;
  GList *ma, *mb;

  gst_element_set_state (a, GST_STATE_PLAYING);
  mb = symbl_test_run (b, 30);
  ma = symbl_test_run (a, 30);
  fail_unless (symbl_test_find (ma, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless (symbl_test_find (mb, GST_MESSAGE_ELEMENT, "symbl-job"));

  fail_unless_equals_int (count_requests ("/oauth2/token:generate", tokens), 1);
  bearer = g_strconcat ("Bearer ", (gchar *) g_ptr_array_index (tokens, 0),
      NULL);
  authorizations = upload_authorizations ();
  fail_unless_equals_int (authorizations->len, 2);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 0), bearer);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 1), bearer);

  symbl_test_messages_free (ma);
  symbl_test_messages_free (mb);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

static gpointer
start_playing (gpointer pipeline)
{
  gst_element_set_state (GST_ELEMENT (pipeline), GST_STATE_PLAYING);
  return NULL;
}

/* Ten pipelines going to READY in ten threads at once: the first asks,
 * the others wait for its answer. */
GST_START_TEST (test_concurrent_pipelines_ask_once)
{
  GstElement *pipelines[10];
  GThread *threads[10];
  guint i;

  for (i = 0; i < 10; i++)
    pipelines[i] = pipeline_with (APP, "");
  for (i = 0; i < 10; i++)
    threads[i] = g_thread_new ("start", start_playing, pipelines[i]);
  for (i = 0; i < 10; i++) {
    GList *messages;

    g_thread_join (threads[i]);
    messages = symbl_test_run (pipelines[i], 30);
    fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT,
            "symbl-job"), "pipeline %u did not upload", i);
    symbl_test_messages_free (messages);
    gst_object_unref (pipelines[i]);
  }
  fail_unless_equals_int (count_requests ("/oauth2/token:generate", NULL), 1);
}

GST_END_TEST;

GST_START_TEST (test_credentials_from_the_environment)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) authorizations = NULL;
  g_autofree gchar *bearer = NULL;
  GList *messages;

  g_setenv ("SYMBL_APP_ID", SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, TRUE);
  g_setenv ("SYMBL_APP_SECRET", SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET, TRUE);
  messages = record_with ("", "");
  g_unsetenv ("SYMBL_APP_ID");
  g_unsetenv ("SYMBL_APP_SECRET");

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (count_requests ("/oauth2/token:generate", tokens), 1);
  /* The upload went with the token those credentials got. */
  bearer = g_strconcat ("Bearer ", (gchar *) g_ptr_array_index (tokens, 0),
      NULL);
  authorizations = upload_authorizations ();
  fail_unless_equals_int (authorizations->len, 1);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 0), bearer);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_an_access_token_wins_over_credentials)
{
  GList *messages = record_with ("access-token=" TEST_TOKEN " " APP, "");
  g_autoptr (GPtrArray) authorizations = upload_authorizations ();

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless_equals_int (count_requests ("/oauth2/token:generate", NULL), 0);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 0),
      "Bearer " TEST_TOKEN);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* Refused credentials: READY at once, and a warning that says so as soon
 * as the API answered, naming no secret. */
GST_START_TEST (test_bad_credentials_are_a_warning_at_once)
{
  GstElement *pipeline = pipeline_with ("app-id="
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID " app-secret=wrong", "");
  g_autoptr (GError) error = symbl_test_warning_after_ready (pipeline);

  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED));
  fail_unless (strstr (error->message, "Symbl refused the app credentials "
          "(app-id, app-secret): HTTP 401") != NULL, "%s", error->message);
  fail_if (strstr (error->message, "wrong"), "the secret leaked");
  fail_unless_equals_int (count_requests ("/v1/process/audio", NULL), 0);

  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_half_the_credentials)
{
  GstElement *pipeline = pipeline_with ("app-id=someone", "");
  g_autoptr (GError) error = NULL;

  g_unsetenv ("SYMBL_APP_SECRET");
  error = symbl_test_error_at_ready (pipeline);
  fail_unless (strstr (error->message, "need both app-id and app-secret")
      != NULL, "%s", error->message);

  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The API said the token lives 2 s: a pipeline after that gets a new one. */
GST_START_TEST (test_renewed_before_it_expires)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) authorizations = NULL;
  g_autofree gchar *renewed = NULL;

  symbl_test_messages_free (record_with (APP, ""));
  g_usleep (2 * G_USEC_PER_SEC);
  symbl_test_messages_free (record_with (APP, ""));

  fail_unless_equals_int (count_requests ("/oauth2/token:generate", tokens), 2);
  renewed = g_strconcat ("Bearer ", (gchar *) g_ptr_array_index (tokens, 1),
      NULL);
  authorizations = upload_authorizations ();
  fail_unless_equals_int (authorizations->len, 2);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 1), renewed);
}

GST_END_TEST;

/* A 401 on the upload: one new token, the upload again, success. */
GST_START_TEST (test_renewed_when_refused)
{
  GList *messages;
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) authorizations = NULL;
  g_autofree gchar *renewed = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=401,path=/v1/process", NULL));
  messages = record_with (APP, "");
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_if (symbl_test_find (messages, GST_MESSAGE_WARNING, NULL),
      "a renewal is not a retry");

  fail_unless_equals_int (count_requests ("/oauth2/token:generate", tokens), 2);
  renewed = g_strconcat ("Bearer ", (gchar *) g_ptr_array_index (tokens, 1),
      NULL);
  authorizations = upload_authorizations ();
  fail_unless_equals_int (authorizations->len, 2);
  fail_unless_equals_string (g_ptr_array_index (authorizations, 1), renewed);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* A fixed token cannot be renewed: a 401 is the end. */
GST_START_TEST (test_a_refused_fixed_token_is_an_error)
{
  GList *messages;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "status=401,path=/v1/process", NULL));
  messages = record_with ("access-token=" TEST_TOKEN, "");
  symbl_test_expect_error (messages, "HTTP 401");
  fail_unless_equals_int (count_requests ("/v1/process/audio", NULL), 1);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* No network when recording starts: record anyway, with a warning; the
 * token is asked for again at the upload. */
GST_START_TEST (test_api_out_of_reach_at_ready)
{
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink api-url=http://127.0.0.1:%u spool-dir=%s retries=0 " APP,
      symbl_test_closed_port (), t.spool_dir);
  GList *messages = symbl_test_run (pipeline, 30);
  GstMessage *warning = symbl_test_find (messages, GST_MESSAGE_WARNING, NULL);
  g_autoptr (GError) error = NULL;

  fail_unless (warning != NULL);
  gst_message_parse_warning (warning, &error, NULL);
  fail_unless (g_str_has_prefix (error->message, "Could not check the app "
          "credentials now"), "%s", error->message);
  /* It recorded, then could not upload: the recording is kept. */
  symbl_test_expect_error (messages, "The recording is kept in");
  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
auth_suite (void)
{
  Suite *s = suite_create ("auth");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_one_token_for_the_whole_process);
  tcase_add_test (tc, test_concurrent_pipelines_ask_once);
  tcase_add_test (tc, test_credentials_from_the_environment);
  tcase_add_test (tc, test_an_access_token_wins_over_credentials);
  tcase_add_test (tc, test_bad_credentials_are_a_warning_at_once);
  tcase_add_test (tc, test_half_the_credentials);
  tcase_add_test (tc, test_renewed_before_it_expires);
  tcase_add_test (tc, test_renewed_when_refused);
  tcase_add_test (tc, test_a_refused_fixed_token_is_an_error);
  tcase_add_test (tc, test_api_out_of_reach_at_ready);
  return s;
}

GST_CHECK_MAIN (auth);
