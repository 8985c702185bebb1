/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* A recording is never orphaned: a manifest beside it says where it goes,
 * and symbl-outbox finishes it after a crash, once, in order, and never
 * sends again what may already have made a job. */
#include <signal.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "symbltest.h"

static SymblTest t;

/* The environment of a program run by a test: the server's token, no
 * proxy (as the suite's), the plugin under test. */
static gchar **
child_env (void)
{
  gchar **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "SYMBL_ACCESS_TOKEN", TEST_TOKEN, TRUE);
  envp = g_environ_unsetenv (envp, "SYMBL_API_URL");
  return envp;
}

/* Runs symbl-outbox @args (a NULL-terminated list) on the test's spool
 * directory; returns its exit status and what it printed. */
static gint
outbox (gchar ** out, const gchar * first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = child_env ();
  g_autofree gchar *err = NULL;
  const gchar *arg;
  gint status;
  va_list args;

  g_ptr_array_add (argv, (gpointer) SYMBL_OUTBOX);
  va_start (args, first);
  for (arg = first; arg; arg = va_arg (args, const gchar *))
      g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--spool-dir");
  g_ptr_array_add (argv, t.spool_dir);
  g_ptr_array_add (argv, NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, envp, 0, NULL,
          NULL, out, &err, &status, NULL));
  if (err && *err)
    g_print ("symbl-outbox said: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

typedef gboolean (*Condition) (void);

/* gst-launch-1.0 running @line and then @props (its sink's properties)
 * in a process of its own, killed with SIGKILL once @ready says so (or
 * after 60 s: the test then fails), as a crash would. */
static void
launch_with_and_kill (const gchar * line, const gchar * props, Condition ready)
{
  g_autofree gchar *command = g_strdup_printf ("gst-launch-1.0 -q %s %s",
      line, props);
  gint64 end = g_get_monotonic_time () + symbl_test_us (60 * G_USEC_PER_SEC);
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) envp = child_env ();
  gboolean killed_in_time;
  GPid pid;

  fail_unless (g_shell_parse_argv (command, NULL, &argv, NULL));
  fail_unless (g_spawn_async (NULL, argv, envp, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL));
  while (!ready () && g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  killed_in_time = g_get_monotonic_time () < end;
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  fail_unless (killed_in_time, "the moment to kill never came: %s", line);
}

/* The same, the sink with the test's properties. */
static void
launch_and_kill (const gchar * line, Condition ready)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);

  launch_with_and_kill (line, props, ready);
}

static gint64 kill_at;

static gboolean
time_is_up (void)
{
  return g_get_monotonic_time () >= kill_at;
}

/* gst-launch-1.0 recording live audio into symblsink, killed with SIGKILL
 * after @ms milliseconds (stretched for slow runs); returns how long it
 * ran, in ns, from before it started to after it died: no more can have
 * been recorded. */
static GstClockTime
record_and_kill (const gchar * sink, guint ms)
{
  g_autofree gchar *line = g_strdup_printf ("audiotestsrc is-live=true "
      "samplesperbuffer=160 ! audio/x-raw,rate=16000,channels=1 ! %s", sink);
  gint64 start = g_get_monotonic_time ();

  kill_at = start + symbl_test_us (ms * 1000);
  launch_and_kill (line, time_is_up);
  return (g_get_monotonic_time () - start) * GST_USECOND;
}

/* The manifests in the spool directory, parsed. One that goes between
 * listing and reading (the recording process drops a done segment's
 * manifest while a test watches) is left out. */
static GPtrArray *
manifests (void)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_node_unref);
  g_autoptr (GDir) dir = g_dir_open (t.spool_dir, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *path = g_build_filename (t.spool_dir, name, NULL);
    g_autofree gchar *text = NULL;
    JsonNode *root;

    if (!g_str_has_suffix (name, ".json"))
      continue;
    if (!g_file_get_contents (path, &text, NULL, NULL)) {
      fail_if (g_file_test (path, G_FILE_TEST_EXISTS), "%s unreadable", path);
      continue;
    }
    root = json_from_string (text, NULL);
    fail_unless (root && JSON_NODE_HOLDS_OBJECT (root), "%s", path);
    g_ptr_array_add (all, root);
  }
  return all;
}

static const gchar *
member (JsonNode * manifest, const gchar * name)
{
  return json_object_get_string_member_with_default (json_node_get_object
      (manifest), name, NULL);
}

/* A crash while recording leaves the recording and its manifest, which
 * says it was being recorded; symbl-outbox sends it, once. */
GST_START_TEST (test_a_kill_while_recording_is_finished_later)
{
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *listed = NULL;
  g_autofree gchar *sent = NULL;
  g_autofree gchar *text = NULL;
  SymblRecordedRequest *request;
  GstClockTime duration, ran;

  ran = record_and_kill ("symblsink", 4000);
  found = manifests ();
  fail_unless_equals_int (found->len, 1);
  fail_unless_equals_string (member (found->pdata[0], "state"), "recording");
  fail_unless_equals_string (member (found->pdata[0], "endpoint"), "audio");
  fail_unless_equals_string (member (found->pdata[0], "method"), "POST");
  text = json_to_string (found->pdata[0], FALSE);
  fail_if (strstr (text, TEST_TOKEN), "%s", text);

  fail_unless_equals_int (outbox (&listed, "list", NULL), 0);
  fail_unless (strstr (listed, "\trecording\t") != NULL, "%s", listed);
  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);

  request = symbl_test_the_request (&t);
  fail_unless (strstr (sent, "conversation-id=") != NULL, "%s", sent);
  fail_unless (strstr (sent, "job-id=") != NULL, "%s", sent);
  fail_unless_equals_string (request->method, "POST");
  /* Killed after 4 s (its start-up included), it lost at most the last
   * second, and its header was repaired from its size before it went. */
  duration = symbl_test_discover (request->body_path, NULL);
  fail_unless (duration >= 2 * GST_SECOND && duration <= ran,
      "%" GST_TIME_FORMAT, GST_TIME_ARGS (duration));
  fail_unless (strstr (sent, "repaired the WAV header") != NULL, "%s", sent);
  /* Sent: nothing left to send. */
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
  g_ptr_array_unref (manifests ());
  symbl_recorded_request_free (request);
}

GST_END_TEST;

/* Once the whole body went out and no reply came, a resend could bill a
 * second job: send leaves it, listed, until told. */
GST_START_TEST (test_sent_no_reply_waits_to_be_told)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=5 "
      "samplesperbuffer=1600 ! audio/x-raw,rate=16000,channels=1 ! "
      "symblsink timeout=1 %s", props);
  GList *messages;
  g_autofree gchar *listed = NULL;
  g_autofree gchar *skipped = NULL;
  g_autofree gchar *resent = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, "stall=2000",
          NULL));
  messages = symbl_test_run (pipeline, 60);
  symbl_test_expect_error (messages, "Symbl may have created a job");
  fail_unless (symbl_local_server_wait_requests (t.server, 1,
          symbl_test_us (10 * G_USEC_PER_SEC) / 1000));
  symbl_local_server_clear_requests (t.server);

  fail_unless_equals_int (outbox (&listed, "list", NULL), 0);
  fail_unless (strstr (listed, "\tsent-no-reply\t1 attempt\t") != NULL, "%s",
      listed);
  fail_unless_equals_int (outbox (&skipped, "send", NULL), 0);
  g_ptr_array_unref (symbl_test_requests (&t, 0));
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 1);

  fail_unless_equals_int (outbox (&resent, "send", "--resend-unanswered",
          NULL), 0);
  g_ptr_array_unref (symbl_test_requests (&t, 1));
  fail_unless (strstr (resent, "conversation-id=") != NULL, "%s", resent);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Recordings that failed (Symbl refused them), kept with their manifests:
 * @n of them. */
static void
keep_refused_recordings (guint n)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  guint i;

  g_autofree gchar *fault = g_strdup_printf ("status=400,count=%u", n);

  fail_unless (symbl_local_server_add_fault_text (t.server, fault, NULL));
  for (i = 0; i < n; i++) {
    GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=3 "
        "samplesperbuffer=1600 ! audio/x-raw,rate=16000,channels=1 ! "
        "symblsink %s", props);
    GList *messages = symbl_test_run (pipeline, 60);

    symbl_test_expect_error (messages, "HTTP 400");
    symbl_test_messages_free (messages);
    gst_object_unref (pipeline);
  }
  symbl_local_server_clear_requests (t.server);
}

/* A manifest whose content-type is empty (edited, or from an older
 * version): the recording goes up with no Content-Type at all, as an
 * empty one means none, rather than an empty header. */
GST_START_TEST (test_an_empty_content_type_is_not_sent)
{
  g_autoptr (GPtrArray) kept = NULL;
  g_autofree gchar *manifest_path = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *sent = NULL;
  g_autoptr (GDir) dir = NULL;
  SymblRecordedRequest *request;
  JsonNode *manifest;
  const gchar *name;

  keep_refused_recordings (1);
  dir = g_dir_open (t.spool_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".json"))
      manifest_path = g_build_filename (t.spool_dir, name, NULL);
  fail_unless (manifest_path != NULL);
  kept = manifests ();
  manifest = g_ptr_array_index (kept, 0);
  fail_unless_equals_string (member (manifest, "content-type"), "audio/wav");
  json_object_set_string_member (json_node_get_object (manifest),
      "content-type", "");
  text = json_to_string (manifest, TRUE);
  fail_unless (g_file_set_contents (manifest_path, text, -1, NULL));

  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);
  request = symbl_test_the_request (&t);
  fail_unless_equals_int (request->status, 201);
  fail_if (g_hash_table_contains (request->headers, "content-type"),
      "Content-Type: \"%s\"", (gchar *) g_hash_table_lookup
      (request->headers, "content-type"));
  symbl_recorded_request_free (request);
}

GST_END_TEST;

/* Two senders at once: each recording goes in exactly one request. */
GST_START_TEST (test_two_senders_send_each_once)
{
  const gchar *argv[] = { SYMBL_OUTBOX, "send", "--spool-dir", t.spool_dir,
    NULL
  };
  g_auto (GStrv) envp = child_env ();
  g_autoptr (GPtrArray) requests = NULL;
  GPid pids[2];
  guint i;

  keep_refused_recordings (6);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 6);
  for (i = 0; i < 2; i++)
    fail_unless (g_spawn_async (NULL, (gchar **) argv, envp,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pids[i], NULL));
  for (i = 0; i < 2; i++) {
    waitpid (pids[i], NULL, 0);
    g_spawn_close_pid (pids[i]);
  }

  /* One request each, whichever sender took it. */
  requests = symbl_test_requests (&t, 6);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
}

GST_END_TEST;

/* Manifests say where recordings go, never with what key. */
GST_START_TEST (test_no_secret_in_a_manifest)
{
  const gchar *secret = SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET;
  GstElement *pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=3 "
      "samplesperbuffer=1600 ! audio/x-raw,rate=16000,channels=1 ! "
      "symblsink api-url=%s spool-dir=%s keep-spool=true app-id=%s "
      "app-secret=%s", symbl_local_server_get_url (t.server), t.spool_dir,
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, secret);
  GList *messages;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree gchar *manifest_text = NULL;
  g_autofree gchar *path = NULL;

  messages = symbl_test_run (pipeline, 60);
  fail_unless (symbl_test_find (messages, GST_MESSAGE_ELEMENT, "symbl-job"));
  found = manifests ();
  fail_unless_equals_int (found->len, 1);
  manifest_text = json_to_string (found->pdata[0], FALSE);
  fail_unless_equals_string (member (found->pdata[0], "state"), "done");
  fail_unless_equals_string (member (found->pdata[0], "app-id"),
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID);
  fail_if (strstr (manifest_text, secret), "%s", manifest_text);
  fail_if (strstr (manifest_text, "Bearer"), "%s", manifest_text);

  symbl_test_messages_free (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* resume-pending: an element sends what its spool-dir held, in the
 * background from READY, before anything is recorded, and says so. */
GST_START_TEST (test_resume_pending_from_ready)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  const GstStructure *job;
  gboolean resumed = FALSE;
  SymblRecordedRequest *request;

  record_and_kill ("symblsink", 3000);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 1);

  pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=3 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink resume-pending=true %s",
      props);
  bus = gst_element_get_bus (pipeline);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT);
  job = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (job, "symbl-job"));
  fail_unless (gst_structure_get_boolean (job, "resumed", &resumed)
      && resumed);
  /* From the element the user named, with the ids the server gave. */
  fail_unless (GST_IS_BIN (GST_MESSAGE_SRC (msg)));
  request = symbl_test_the_request (&t);
  fail_unless (strstr (request->reply, gst_structure_get_string (job,
              "job-id")) != NULL);
  gst_message_unref (msg);
  symbl_recorded_request_free (request);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Going to NULL while a resumed upload waits for its reply returns at
 * once; the recording stays, and since its body went out it is not sent
 * again on its own. */
GST_START_TEST (test_stopping_never_waits_for_a_resumed_upload)
{
  g_autofree gchar *props = symbl_test_sink_props (&t);
  GstElement *pipeline;
  g_autofree gchar *listed = NULL;
  gint64 start;

  record_and_kill ("symblsink", 3000);
  fail_unless (symbl_local_server_add_fault_text (t.server, "stall=0", NULL));
  pipeline = symbl_test_pipeline ("audiotestsrc num-buffers=3 ! "
      "symblsink resume-pending=true %s", props);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_usleep (symbl_test_us (G_USEC_PER_SEC));
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless (g_get_monotonic_time () - start <
      symbl_test_us (G_USEC_PER_SEC));
  gst_object_unref (pipeline);

  fail_unless_equals_int (outbox (&listed, "list", NULL), 0);
  fail_unless (strstr (listed, "\tsent-no-reply\t") != NULL, "%s", listed);
}

GST_END_TEST;

/* The requests of @requests answered with @status. */
static guint
count_status (GPtrArray * requests, guint status)
{
  guint i, n = 0;

  for (i = 0; i < requests->len; i++)
    n += ((SymblRecordedRequest *) g_ptr_array_index (requests, i))->status ==
        status;
  return n;
}

/* The manifests hold @state. */
static gboolean
a_manifest_says (const gchar * state)
{
  g_autoptr (GPtrArray) found = manifests ();
  guint i;

  for (i = 0; i < found->len; i++)
    if (g_strcmp0 (member (found->pdata[i], "state"), state) == 0)
      return TRUE;
  return FALSE;
}

static gint64 upload_seen_at;

/* An upload has been under way for a moment: its body is flowing. */
static gboolean
upload_under_way (void)
{
  if (!upload_seen_at && symbl_local_server_get_peak_uploads (t.server) > 0)
    upload_seen_at = g_get_monotonic_time ();
  return upload_seen_at
      && g_get_monotonic_time () - upload_seen_at > G_USEC_PER_SEC / 5;
}

/* Killed in the middle of an upload (the server reads the first megabyte
 * of 19, then no more): no job can exist, and send sends it, once. */
GST_START_TEST (test_a_kill_in_the_middle_of_an_upload)
{
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *listed = NULL;
  g_autofree gchar *sent = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, "hold=1000000",
          NULL));
  upload_seen_at = 0;
  launch_and_kill ("audiotestsrc num-buffers=600 samplesperbuffer=16000 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink", upload_under_way);

  fail_unless_equals_int (outbox (&listed, "list", NULL), 0);
  fail_unless (strstr (listed, "\tsending\t1 attempt") != NULL, "%s", listed);
  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);
  requests = symbl_local_server_get_requests (t.server);
  fail_unless_equals_int (count_status (requests, 201), 1);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
}

GST_END_TEST;

static gboolean
body_sent (void)
{
  return a_manifest_says ("sent-no-reply");
}

/* Killed after the whole body went out, waiting for the reply: Symbl may
 * have a job, so send leaves it. */
GST_START_TEST (test_a_kill_while_waiting_for_the_reply)
{
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *listed = NULL;
  g_autofree gchar *sent = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server, "stall=0", NULL));
  launch_and_kill ("audiotestsrc num-buffers=5 samplesperbuffer=1600 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink", body_sent);
  symbl_local_server_clear_requests (t.server);

  fail_unless_equals_int (outbox (&listed, "list", NULL), 0);
  fail_unless (strstr (listed, "\tsent-no-reply\t") != NULL, "%s", listed);
  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);
  /* The stalled request is never answered, and is recorded (unanswered)
   * only if the server saw its client go, which may come after the
   * kill: send sent nothing when nothing was answered. */
  requests = symbl_local_server_get_requests (t.server);
  fail_unless (requests->len <= 1, "%u requests", requests->len);
  fail_unless_equals_int (count_status (requests, 0), requests->len);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 1);
}

GST_END_TEST;

/* Segment 0 is uploaded (and its manifest gone) and segment 1 is being
 * recorded. */
static gboolean
between_segments (void)
{
  g_autoptr (GPtrArray) found = manifests ();
  gboolean first = FALSE, second = FALSE;
  guint i;

  for (i = 0; i < found->len; i++) {
    gint64 index = json_object_get_int_member (json_node_get_object
        (found->pdata[i]), "segment-index");

    first |= index == 0;
    second |= index == 1;
  }
  return second && !first;
}

/* Killed between two segments of a meeting: the one being recorded goes
 * later, appended to the conversation that segment 0 got. (With 6 s
 * segments, segment 1 is on disk from about 8 s: the segmenter holds up
 * to 4 s to find a quiet moment, docs/reliability.md.) */
GST_START_TEST (test_a_kill_between_two_segments)
{
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree gchar *sent = NULL;
  g_autofree gchar *put_path = NULL;
  SymblRecordedRequest *created, *appended;
  g_autoptr (JsonNode) reply = NULL;

  launch_and_kill ("audiotestsrc is-live=true samplesperbuffer=1600 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink segment-duration=6",
      between_segments);
  before = symbl_local_server_get_requests (t.server);
  created = g_ptr_array_index (before, 0);
  fail_unless_equals_string (created->method, "POST");

  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);
  all = symbl_local_server_get_requests (t.server);
  fail_unless (all->len >= 2, "%s", sent);
  appended = g_ptr_array_index (all, all->len - 1);
  reply = json_from_string (created->reply, NULL);
  put_path = g_strdup_printf ("/v1/process/audio/%s",
      json_object_get_string_member (json_node_get_object (reply),
          "conversationId"));
  fail_unless_equals_string (appended->method, "PUT");
  fail_unless_equals_string (appended->path, put_path);
  fail_unless_equals_int (appended->status, 201);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
}

GST_END_TEST;

/* Killed while the token was being generated (the server takes the app
 * credentials and never answers): the recording went on all the same,
 * and send, with a token of its own, sends it once. */
GST_START_TEST (test_a_kill_while_a_token_is_generated)
{
  g_autofree gchar *props = g_strdup_printf ("api-url=%s spool-dir=%s "
      "app-id=" SYMBL_LOCAL_SERVER_DEFAULT_APP_ID " app-secret="
      SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET,
      symbl_local_server_get_url (t.server), t.spool_dir);
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *sent = NULL;

  fail_unless (symbl_local_server_add_fault_text (t.server,
          "stall=0,path=/oauth2/token:generate", NULL));
  kill_at = g_get_monotonic_time () + symbl_test_us (3 * G_USEC_PER_SEC);
  launch_with_and_kill ("audiotestsrc is-live=true samplesperbuffer=160 ! "
      "audio/x-raw,rate=16000,channels=1 ! symblsink", props, time_is_up);
  fail_unless (a_manifest_says ("recording"));

  fail_unless_equals_int (outbox (&sent, "send", NULL), 0);
  requests = symbl_local_server_get_requests (t.server);
  fail_unless_equals_int (count_status (requests, 201), 1);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);
}

GST_END_TEST;

static Suite *
outbox_suite (void)
{
  Suite *s = suite_create ("outbox");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_a_kill_while_recording_is_finished_later);
  tcase_add_test (tc, test_sent_no_reply_waits_to_be_told);
  tcase_add_test (tc, test_two_senders_send_each_once);
  tcase_add_test (tc, test_an_empty_content_type_is_not_sent);
  tcase_add_test (tc, test_no_secret_in_a_manifest);
  tcase_add_test (tc, test_resume_pending_from_ready);
  tcase_add_test (tc, test_stopping_never_waits_for_a_resumed_upload);
  tcase_add_test (tc, test_a_kill_in_the_middle_of_an_upload);
  tcase_add_test (tc, test_a_kill_while_waiting_for_the_reply);
  tcase_add_test (tc, test_a_kill_between_two_segments);
  tcase_add_test (tc, test_a_kill_while_a_token_is_generated);
  return s;
}

GST_CHECK_MAIN (outbox);
