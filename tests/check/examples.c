/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* The examples users copy, run as users run them, against the local
 * server: each records the example meeting, waits for the job and prints
 * the detected trackers. */
#include <json-glib/json-glib.h>
#include "symbltest.h"

static SymblTest t;

/* Runs @argv in the source tree with the local server's URL and token in
 * the environment; returns stdout. */
static gchar *
run_example (const gchar * const *argv)
{
  g_auto (GStrv) envp = g_get_environ ();
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status;

  envp = g_environ_setenv (envp, "SYMBL_API_URL",
      symbl_local_server_get_url (t.server), TRUE);
  envp = g_environ_setenv (envp, "SYMBL_ACCESS_TOKEN", TEST_TOKEN, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", t.spool_dir, TRUE);
  fail_unless (g_spawn_sync (SYMBL_SOURCE_ROOT, (gchar **) argv, envp, 0,
          NULL, NULL, &out, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL), "%s failed: %s",
      argv[0], err);
  return out;
}

/* What the example printed matches what the server answered. */
static void
expect_ids_statuses_and_trackers (const gchar * out)
{
  GPtrArray *requests = symbl_local_server_get_requests (t.server);
  SymblRecordedRequest *upload = g_ptr_array_index (requests, 0);
  g_autoptr (JsonNode) reply = json_from_string (upload->reply, NULL);
  g_autofree gchar *ids = NULL;

  fail_unless_equals_string (upload->path, "/v1/process/audio");
  ids = g_strdup_printf ("conversation-id: %s\njob-id: %s\n",
      json_object_get_string_member (json_node_get_object (reply),
          "conversationId"), json_object_get_string_member
      (json_node_get_object (reply), "jobId"));
  fail_unless (strstr (out, ids) != NULL, "%s lacks %s", out, ids);
  fail_unless (strstr (out, "job status: completed") != NULL, "%s", out);
  fail_unless (strstr (out, "COVID-19") != NULL, "%s", out);
  fail_unless (strstr (out, "vaccination") != NULL, "%s", out);
  g_ptr_array_unref (requests);
}

GST_START_TEST (test_c_example)
{
  const gchar *argv[] = { SYMBL_C_EXAMPLE, NULL };
  g_autofree gchar *out = run_example (argv);

  expect_ids_statuses_and_trackers (out);
}

GST_END_TEST;

GST_START_TEST (test_python_example)
{
  const gchar *argv[] = { SYMBL_PYTHON, "examples/record_and_track.py",
    NULL
  };
  g_autofree gchar *out = run_example (argv);

  expect_ids_statuses_and_trackers (out);
}

GST_END_TEST;

static Suite *
examples_suite (void)
{
  Suite *s = suite_create ("examples");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_c_example);
  tcase_add_test (tc, test_python_example);
  return s;
}

GST_CHECK_MAIN (examples);
