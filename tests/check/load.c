/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* A media server's day: fifty pipelines in one process record and upload
 * at once to the local server. Fifty distinct jobs, every body intact,
 * nothing left behind. And more recordings than the account has job
 * slots: each waits for a slot, and all get their job. */
#include <glib/gstdio.h>
#include "symbltest.h"

#define N_PIPELINES 50

static SymblTest t;

/* Sockets whose local end is @port: the in-process server's side of each
 * connection. libsoup 3.2's server keeps those open after the client has
 * closed (fixed in 3.3); they are the test server's, not the plugin's. */
static GHashTable *
server_side_sockets (guint port)
{
  GHashTable *inodes = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  const gchar *tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (tables); i++) {
    g_autofree gchar *text = NULL;
    g_auto (GStrv) lines = NULL;

    if (!g_file_get_contents (tables[i], &text, NULL, NULL))
      continue;
    lines = g_strsplit (text, "\n", -1);
    for (j = 1; lines[j]; j++) {
      g_auto (GStrv) f = g_strsplit_set (g_strstrip (lines[j]), " ", -1);
      g_autoptr (GPtrArray) fields = g_ptr_array_new ();
      const gchar *colon;
      guint k;

      for (k = 0; f[k]; k++)
        if (*f[k])
          g_ptr_array_add (fields, f[k]);
      if (fields->len < 10)
        continue;
      /* local_address is HEXIP:HEXPORT; inode is the tenth field. */
      colon = strrchr (g_ptr_array_index (fields, 1), ':');
      if (colon && g_ascii_strtoull (colon + 1, NULL, 16) == port)
        g_hash_table_add (inodes, g_strdup_printf ("socket:[%s]",
                (gchar *) g_ptr_array_index (fields, 9)));
    }
  }
  return inodes;
}

/* Descriptors open in this process, but for the test server's sockets. */
static guint
count_client_fds (void)
{
  g_autoptr (GUri) url = g_uri_parse (symbl_local_server_get_url (t.server),
      G_URI_FLAGS_NONE, NULL);
  g_autoptr (GHashTable) server_side =
      server_side_sockets (g_uri_get_port (url));
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir))) {
    g_autofree gchar *path = g_build_filename ("/proc/self/fd", name, NULL);
    g_autofree gchar *target = g_file_read_link (path, NULL);

    if (!target || !g_hash_table_contains (server_side, target))
      n++;
  }
  g_dir_close (dir);
  return n;
}

GST_START_TEST (test_fifty_pipelines_at_once)
{
  g_autofree gchar *props = NULL;
  GstElement *pipelines[N_PIPELINES], *warm_up;
  g_autoptr (GHashTable) jobs = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) conversations = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  GPtrArray *requests;
  guint fds_before, i;

  symbl_test_setup (&t);
  props = symbl_test_sink_props (&t);
  /* Warm up once, so that what is opened for good (the registry, the
   * server's listening socket) counts before. */
  warm_up = symbl_test_pipeline ("audiotestsrc num-buffers=2 ! symblsink %s",
      props);
  symbl_test_messages_free (symbl_test_run (warm_up, 30));
  gst_object_unref (warm_up);
  symbl_local_server_clear_requests (t.server);
  fds_before = count_client_fds ();

  /* Each records a different tone, so that no two bodies are alike. */
  for (i = 0; i < N_PIPELINES; i++) {
    pipelines[i] = symbl_test_pipeline ("audiotestsrc freq=%u "
        "samplesperbuffer=1600 num-buffers=20 ! "
        "audio/x-raw,rate=16000,channels=1 ! symblsink name=call%u %s "
        "keep-spool=true", 200 + 10 * i, i, props);
    fail_unless (gst_element_set_state (pipelines[i], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
  }

  for (i = 0; i < N_PIPELINES; i++) {
    GstBus *bus = gst_element_get_bus (pipelines[i]);
    GstMessage *job = NULL, *msg;
    const GstStructure *s;
    gchar *kept, *sent;
    gsize kept_size, sent_size;
    guint j;

    while ((msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT) {
        gst_clear_message (&job);
        job = msg;
        continue;
      }
      fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
          "call%u failed", i);
      gst_message_unref (msg);
      break;
    }
    fail_unless (job != NULL, "call%u has no job", i);
    s = gst_message_get_structure (job);
    fail_unless (g_hash_table_add (jobs,
            g_strdup (gst_structure_get_string (s, "job-id"))));
    fail_unless (g_hash_table_add (conversations,
            g_strdup (gst_structure_get_string (s, "conversation-id"))));

    /* The body the server got for this job is this call's recording. */
    requests = symbl_local_server_get_requests (t.server);
    for (j = 0; j < requests->len; j++) {
      SymblRecordedRequest *r = g_ptr_array_index (requests, j);
      if (r->reply && strstr (r->reply, gst_structure_get_string (s, "job-id")))
        break;
    }
    fail_unless (j < requests->len, "no request for call%u", i);
    fail_unless (g_file_get_contents (gst_structure_get_string (s,
                "location"), &kept, &kept_size, NULL));
    fail_unless (g_file_get_contents (((SymblRecordedRequest *)
                g_ptr_array_index (requests, j))->body_path, &sent, &sent_size,
            NULL));
    fail_unless (kept_size == sent_size && memcmp (kept, sent, sent_size) == 0,
        "call%u: the body is not its recording", i);
    g_unlink (gst_structure_get_string (s, "location"));

    g_free (kept);
    g_free (sent);
    g_ptr_array_unref (requests);
    gst_message_unref (job);
    gst_object_unref (bus);
  }

  for (i = 0; i < N_PIPELINES; i++) {
    gst_element_set_state (pipelines[i], GST_STATE_NULL);
    gst_object_unref (pipelines[i]);
  }

  fail_unless_equals_int (g_hash_table_size (jobs), N_PIPELINES);
  fail_unless_equals_int (g_hash_table_size (conversations), N_PIPELINES);
  g_ptr_array_unref (symbl_test_requests (&t, N_PIPELINES));
  /* Every file and socket the pipelines opened is closed again. */
  fail_unless_equals_int (count_client_fds (), fds_before);
  fail_unless_equals_int (symbl_test_count_spool_files (&t), 0);

  symbl_test_teardown (&t);
}

GST_END_TEST;

/* Elements of one account share its bound on uploads under way: twenty
 * calls that end at once, each answered slowly, never have more than
 * max-concurrent-uploads requests in flight, and all get their ids. */
GST_START_TEST (test_uploads_share_the_account_bound)
{
  GstElement *pipelines[20];
  g_autofree gchar *props = NULL;
  guint i;

  symbl_test_setup (&t);
  props = symbl_test_sink_props (&t);
  fail_unless (symbl_local_server_add_fault_text (t.server,
          "stall=300,count=20", NULL));
  for (i = 0; i < G_N_ELEMENTS (pipelines); i++) {
    pipelines[i] = symbl_test_pipeline ("audiotestsrc num-buffers=3 "
        "samplesperbuffer=1600 ! audio/x-raw,rate=16000,channels=1 ! "
        "symblsink max-concurrent-uploads=2 %s", props);
    fail_unless (gst_element_set_state (pipelines[i], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
  }
  for (i = 0; i < G_N_ELEMENTS (pipelines); i++) {
    GstBus *bus = gst_element_get_bus (pipelines[i]);
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
        "call %u did not end well", i);
    gst_message_unref (msg);
    gst_object_unref (bus);
    gst_element_set_state (pipelines[i], GST_STATE_NULL);
    gst_object_unref (pipelines[i]);
  }
  g_ptr_array_unref (symbl_test_requests (&t, G_N_ELEMENTS (pipelines)));
  /* The bound was reached, and never passed. */
  fail_unless_equals_int (symbl_local_server_get_peak_uploads (t.server), 2);

  symbl_test_teardown (&t);
}

GST_END_TEST;

/* A trial account: two job slots, each job taking about 1.2 s */
#define N_SLOTS 2
#define N_SLOT_PIPELINES 20
/* Uploads under way at once, for the whole process: more than the slots,
 * so that some find them full. */
#define N_UPLOADS 3
#define SLOT_JOB_STEP_MS 600

/* Whether @msg is an upload's progress saying it waits for a job slot */
static gboolean
is_slot_wait (GstMessage * msg)
{
  GstProgressType type;
  gchar *code, *text;
  gboolean slot_wait;

  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_PROGRESS)
    return FALSE;
  gst_message_parse_progress (msg, &type, &code, &text);
  slot_wait = type == GST_PROGRESS_TYPE_CONTINUE && g_str_equal (code,
      "upload") && strstr (text, "Waiting for a free job slot") != NULL;
  g_free (code);
  g_free (text);
  return slot_wait;
}

/* Twenty meetings end at once, for an account with two job slots: each
 * waits for a slot, all get their job, and no more than
 * max-concurrent-uploads upload at once. */
GST_START_TEST (test_more_recordings_than_job_slots)
{
  SymblLocalServerOptions options = {
    .job_step_ms = SLOT_JOB_STEP_MS,
    .max_concurrent_jobs = N_SLOTS,
  };
  g_autofree gchar *props = NULL;
  GstElement *pipelines[N_SLOT_PIPELINES];
  g_autoptr (GHashTable) jobs = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  GPtrArray *requests;
  guint i, accepted = 0, slots_full = 0, slot_waits = 0;

  symbl_test_setup_with (&t, &options);
  props = symbl_test_sink_props (&t);

  /* All at once, as a media server's meetings end; waits for a slot
   * start at 5 x 0.05 s in this test, and 429s do not count against
   * retries=0 */
  for (i = 0; i < N_SLOT_PIPELINES; i++) {
    pipelines[i] = symbl_test_pipeline ("audiotestsrc freq=%u "
        "samplesperbuffer=1600 num-buffers=5 ! "
        "audio/x-raw,rate=16000,channels=1 ! symblsink name=call%u %s "
        "retries=0 retry-backoff-factor=0.05 retry-backoff-max=0.5 "
        "max-concurrent-uploads=%u", 300 + 10 * i, i, props, N_UPLOADS);
    fail_unless (gst_element_set_state (pipelines[i], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
  }

  for (i = 0; i < N_SLOT_PIPELINES; i++) {
    GstBus *bus = gst_element_get_bus (pipelines[i]);
    GstMessage *msg;
    gboolean ended = FALSE;

    while (!ended && (msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT |
                GST_MESSAGE_PROGRESS))) {
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
        GError *error = NULL;

        gst_message_parse_error (msg, &error, NULL);
        fail ("call%u failed: %s", i, error->message);
      }
      ended = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
      slot_waits += is_slot_wait (msg);
      if (gst_message_has_name (msg, "symbl-job"))
        fail_unless (g_hash_table_add (jobs,
                g_strdup (gst_structure_get_string
                    (gst_message_get_structure (msg), "job-id"))));
      gst_message_unref (msg);
    }
    fail_unless (ended, "call%u did not end", i);
    gst_object_unref (bus);
    gst_element_set_state (pipelines[i], GST_STATE_NULL);
    gst_object_unref (pipelines[i]);
  }

  fail_unless_equals_int (g_hash_table_size (jobs), N_SLOT_PIPELINES);
  requests = symbl_local_server_get_requests (t.server);
  for (i = 0; i < requests->len; i++) {
    SymblRecordedRequest *r = g_ptr_array_index (requests, i);

    accepted += r->status == 201;
    slots_full += r->status == 429;
  }
  g_ptr_array_unref (requests);
  fail_unless_equals_int (accepted, N_SLOT_PIPELINES);
  /* They did wait: the slots were full for some, and each such answer
   * was told once on the bus */
  fail_unless (slots_full > 0, "no upload found the job slots full");
  fail_unless_equals_int (slot_waits, slots_full);
  /* And never more uploads at once than the account's bound. */
  fail_unless (symbl_local_server_get_peak_uploads (t.server) <= N_UPLOADS,
      "%u uploads at once", symbl_local_server_get_peak_uploads (t.server));

  symbl_test_teardown (&t);
}

GST_END_TEST;

static Suite *
load_suite (void)
{
  Suite *s = suite_create ("load");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_fifty_pipelines_at_once);
  tcase_add_test (tc, test_uploads_share_the_account_bound);
  tcase_add_test (tc, test_more_recordings_than_job_slots);
  return s;
}

GST_CHECK_MAIN (load);
