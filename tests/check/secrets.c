/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* The access token reaches the server, and nothing else: not GStreamer's
 * debug log at its most verbose, not GLib's, not a warning or an error, not
 * gst-launch-1.0 -v. */
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "symbltest.h"

#define SECRET "sEcReT-t0ken-4f9d2a7c"

static SymblTest t;
static GString *captured;
static void
setup (void)
{
  SymblLocalServerOptions options = { 0 };
  const gchar *tokens[] = { SECRET, NULL };

  options.quiet = TRUE;
  options.access_tokens = tokens;
  t.server = symbl_local_server_start (&options, NULL);
  fail_unless (t.server != NULL);
  t.spool_dir = g_dir_make_tmp ("symbl-test-spool-XXXXXX", NULL);
  captured = g_string_new (NULL);
}

static void
teardown (void)
{
  symbl_test_teardown (&t);
  g_string_free (captured, TRUE);
}

/* Everything a message shows: its structure, and an error's or warning's
 * text, debug string and details. */
static void
capture_message (GstMessage * msg)
{
  const GstStructure *s = gst_message_get_structure (msg);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  if (s) {
    g_autofree gchar *text = gst_structure_to_string (s);
    g_string_append_printf (captured, "%s\n", text);
  }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &error, &debug);
  else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
    gst_message_parse_warning (msg, &error, &debug);
  if (error)
    g_string_append_printf (captured, "%s\n%s\n", error->message,
        debug ? debug : "");
}

/* An upload that is retried once, with the token given as the property
 * (gst-launch-1.0 lines are GStreamer's parser's to log, not ours), with
 * every log on: GStreamer's at its most verbose, GLib's debug messages
 * (libsoup's among them), all of stdout and stderr captured. */
static GList *
upload_with_every_log_on (const gchar * fault)
{
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 ! "
      "symblsink name=s api-url=%s spool-dir=%s retry-backoff-factor=0.05",
      symbl_local_server_get_url (t.server), t.spool_dir);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  g_autofree gchar *log_path = g_build_filename (t.spool_dir, "stderr.log",
      NULL);
  g_autofree gchar *log = NULL;
  GstDebugLevel saved_threshold = gst_debug_get_default_threshold ();
  GList *messages, *l;
  gint saved_stdout, saved_stderr, log_fd;
  guint handler;

  g_object_set (sink, "access-token", SECRET, NULL);
  gst_object_unref (sink);
  fail_unless (symbl_local_server_add_fault_text (t.server, fault, NULL));

  /* GLib prints debug messages to stdout, the rest to stderr. */
  fflush (stdout);
  fflush (stderr);
  saved_stdout = dup (STDOUT_FILENO);
  saved_stderr = dup (STDERR_FILENO);
  log_fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2 (log_fd, STDOUT_FILENO);
  dup2 (log_fd, STDERR_FILENO);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_debug_enabled (TRUE);
  /* gst-check swallows GLib's debug messages; let them through. */
  handler = g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
      G_LOG_LEVEL_DEBUG, g_log_default_handler, NULL);
  gst_debug_set_active (TRUE);
  gst_debug_set_colored (FALSE);
  gst_debug_set_default_threshold (GST_LEVEL_MEMDUMP);

  messages = symbl_test_run (pipeline, 60);
  gst_object_unref (pipeline);

  gst_debug_set_default_threshold (saved_threshold);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_log_set_debug_enabled (FALSE);
  g_log_remove_handler (NULL, handler);
  fflush (stdout);
  fflush (stderr);
  dup2 (saved_stdout, STDOUT_FILENO);
  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stdout);
  close (saved_stderr);
  close (log_fd);

  fail_unless (g_file_get_contents (log_path, &log, NULL, NULL));
  g_string_append (captured, log);
  g_unlink (log_path);
  for (l = messages; l; l = l->next)
    capture_message (l->data);
  return messages;
}

static void
expect_no_secret (const gchar * output, const gchar * what)
{
  const gchar *found = strstr (output, SECRET);

  fail_unless (found == NULL, "the token leaked into %s: ...%.80s", what,
      found > output + 80 ? found - 80 : output);
}

GST_START_TEST (test_token_not_in_debug_log_retry_or_job)
{
  GList *messages = upload_with_every_log_on ("status=503");
  GPtrArray *requests = symbl_test_requests (&t, 2);

  /* It was used, and the log was really on. */
  fail_unless_equals_string (g_hash_table_lookup (((SymblRecordedRequest *)
              g_ptr_array_index (requests, 1))->headers, "authorization"),
      "Bearer " SECRET);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  fail_unless (symbl_test_find (messages, GST_MESSAGE_WARNING, NULL));
  fail_unless (captured->len > 100000, "only %" G_GSIZE_FORMAT " bytes of log",
      captured->len);
  fail_unless (strstr (captured->str, "symblsink") != NULL);
  /* What records the audio, into the file that was sent. */
  fail_unless (strstr (captured->str, "symblsegmentwriter") != NULL);
  expect_no_secret (captured->str, "the logs or messages");

  g_ptr_array_unref (requests);
  symbl_test_messages_free (messages);
}

GST_END_TEST;

GST_START_TEST (test_token_not_in_refusal)
{
  GList *messages = upload_with_every_log_on ("status=401");

  fail_unless (symbl_test_find (messages, GST_MESSAGE_ERROR, NULL));
  expect_no_secret (captured->str, "the logs or the error");
  symbl_test_messages_free (messages);
}

GST_END_TEST;

/* gst-launch-1.0 in a process of its own; returns what it printed. */
static gchar *
launch (const gchar * const *envp_extra, const gchar * const *argv_tail)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = g_get_environ ();
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status;
  guint i;

  g_ptr_array_add (argv, (gpointer) "gst-launch-1.0");
  for (i = 0; argv_tail[i]; i++)
    g_ptr_array_add (argv, (gpointer) argv_tail[i]);
  g_ptr_array_add (argv, NULL);
  for (i = 0; envp_extra[i]; i += 2)
    envp = g_environ_setenv (envp, envp_extra[i], envp_extra[i + 1], TRUE);

  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, envp,
          G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "gst-launch-1.0 failed: %s", err);
  return g_strconcat (out, err, NULL);
}

GST_START_TEST (test_token_not_in_gst_launch_verbose)
{
  g_autofree gchar *url = g_strdup_printf ("api-url=%s",
      symbl_local_server_get_url (t.server));
  g_autofree gchar *spool = g_strdup_printf ("spool-dir=%s", t.spool_dir);
  const gchar *no_env[] = { NULL };
  const gchar *verbose[] = { "-v", "-m", "audiotestsrc", "num-buffers=5",
    "!", "symblsink", url, spool, "access-token=" SECRET, NULL
  };
  const gchar *debug_env[] = { "SYMBL_ACCESS_TOKEN", SECRET,
    "GST_DEBUG", "*:9", "G_MESSAGES_DEBUG", "all", NULL
  };
  const gchar *debug[] = { "-v", "-m", "audiotestsrc", "num-buffers=5",
    "!", "symblsink", url, spool, NULL
  };
  g_autofree gchar *output = launch (no_env, verbose);

  fail_unless (strstr (output, "symbl-job") != NULL, "%s", output);
  expect_no_secret (output, "gst-launch-1.0 -v");
  g_free (output);

  output = launch (debug_env, debug);
  fail_unless (strstr (output, "symbl-job") != NULL);
  expect_no_secret (output, "gst-launch-1.0 at GST_DEBUG=*:9");
}

GST_END_TEST;

static Suite *
secrets_suite (void)
{
  Suite *s = suite_create ("secrets");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_token_not_in_debug_log_retry_or_job);
  tcase_add_test (tc, test_token_not_in_refusal);
  tcase_add_test (tc, test_token_not_in_gst_launch_verbose);
  return s;
}

GST_CHECK_MAIN (secrets);
