/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* The media-server example (examples/rtp-call-recorder.c), run as a user
 * runs it: a second pipeline sends it a call as Opus over RTP on loopback,
 * then stops; the recorder must notice the call ended, upload it, and the
 * upload must hold about as much audio as was sent. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <sys/wait.h>
#include "symbltest.h"

#define CALL_SECONDS 3
#define FRAME_MS 20
#define TOLERANCE_MS 250

static SymblTest t;

/* Sends CALL_SECONDS of a tone in real time, as a gateway would. */
static void
send_call (guint port)
{
  GstElement *sender = symbl_test_pipeline ("audiotestsrc is-live=true "
      "num-buffers=%d samplesperbuffer=%d ! audio/x-raw,rate=48000,channels=1 "
      "! opusenc ! rtpopuspay pt=96 ! udpsink host=127.0.0.1 port=%u",
      CALL_SECONDS * 1000 / FRAME_MS, 48 * FRAME_MS, port);
  GList *messages = symbl_test_run (sender, 30);

  fail_unless (symbl_test_find (messages, GST_MESSAGE_EOS, NULL) != NULL,
      "the sender did not finish");
  symbl_test_messages_free (messages);
  gst_object_unref (sender);
}

GST_START_TEST (test_rtp_call_is_recorded_and_uploaded)
{
  /* A second of silence ends the call; under valgrind the sender, in this
   * process, can fall silent for longer than that in the middle. */
  g_autofree gchar *silence = g_strdup_printf ("%" G_GINT64_FORMAT,
      symbl_test_us (G_USEC_PER_SEC) / G_USEC_PER_SEC);
  const gchar *argv[] = { SYMBL_RTP_EXAMPLE, "0", silence, NULL };
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GBytes) pcm = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree gchar *ids = NULL;
  GPtrArray *requests;
  SymblRecordedRequest *upload;
  GError *error = NULL;
  GPid pid;
  gint out_fd, status;
  guint port = 0;
  gchar line[256];
  FILE *stream;
  gdouble seconds;

  envp = g_environ_setenv (envp, "SYMBL_API_URL",
      symbl_local_server_get_url (t.server), TRUE);
  envp = g_environ_setenv (envp, "SYMBL_ACCESS_TOKEN", TEST_TOKEN, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", t.spool_dir, TRUE);
  fail_unless (g_spawn_async_with_pipes (NULL, (gchar **) argv, envp,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out_fd, NULL,
          &error), "%s", error ? error->message : "?");
  stream = fdopen (out_fd, "r");

  /* The recorder says where it listens before anything is sent. */
  fail_unless (fgets (line, sizeof line, stream) != NULL);
  fail_unless (sscanf (line, "listening on UDP port %u", &port) == 1, "%s",
      line);
  send_call (port);
  while (fgets (line, sizeof line, stream))
    g_string_append (out, line);
  fclose (stream);
  fail_unless (waitpid (pid, &status, 0) == pid);
  g_spawn_close_pid (pid);
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "the recorder failed: %s", out->str);

  requests = symbl_test_requests (&t, 1);
  upload = g_ptr_array_index (requests, 0);
  fail_unless_equals_string (upload->path, "/v1/process/audio");
  reply = json_from_string (upload->reply, NULL);
  ids = g_strdup_printf ("conversation-id: %s\njob-id: %s\n",
      json_object_get_string_member (json_node_get_object (reply),
          "conversationId"), json_object_get_string_member
      (json_node_get_object (reply), "jobId"));
  fail_unless (strstr (out->str, "call ended") != NULL, "%s", out->str);
  fail_unless (strstr (out->str, ids) != NULL, "%s lacks %s", out->str, ids);

  /* 16 kHz mono S16LE: 32000 bytes a second. */
  pcm = symbl_test_decode (upload->body_path);
  seconds = g_bytes_get_size (pcm) / 32000.0;
  fail_unless (ABS (seconds - CALL_SECONDS) < TOLERANCE_MS / 1000.0,
      "sent %d s of audio, the upload holds %.3f s", CALL_SECONDS, seconds);
  g_ptr_array_unref (requests);
}

GST_END_TEST;

static Suite *
rtpcall_suite (void)
{
  Suite *s = suite_create ("rtpcall");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  symbl_test_add_fixture (tc, &t);
  tcase_add_test (tc, test_rtp_call_is_recorded_and_uploaded);
  return s;
}

GST_CHECK_MAIN (rtpcall);
