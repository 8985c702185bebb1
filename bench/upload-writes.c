/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* upload-writes: uploads one file with libsoup as symblclient.c does
 * (soup_session_send, a Content-Length body), the body given as
 *   stream    a GFileInputStream, as the element gives it
 *   mapped    a GMappedFile's bytes (soup_message_set_request_body_from_bytes)
 *   buffered  the file stream in a 1 MB GBufferedInputStream
 * and prints how many writes libsoup made and the largest.
 * Usage: upload-writes MODE FILE URL TOKEN */

#include <libsoup/soup.h>
#include <string.h>

static guint64 writes, largest;

static void
on_wrote_body_data (SoupMessage * msg, guint size, gpointer data)
{
  writes++;
  largest = MAX (largest, size);
}

static gboolean
set_body (SoupMessage * msg, const gchar * mode, const gchar * path,
    GError ** error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GInputStream) body = NULL;

  if (!strcmp (mode, "mapped")) {
    g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
    g_autoptr (GBytes) bytes = NULL;

    if (!mapped)
      return FALSE;
    bytes = g_mapped_file_get_bytes (mapped);
    soup_message_set_request_body_from_bytes (msg, "audio/wav", bytes);
    return TRUE;
  }
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL,
      error);
  body = info ? G_INPUT_STREAM (g_file_read (file, NULL, error)) : NULL;
  if (!body)
    return FALSE;
  if (!strcmp (mode, "buffered")) {
    GInputStream *buffered = g_buffered_input_stream_new_sized (body, 1 << 20);

    g_object_unref (body);
    body = buffered;
  } else if (strcmp (mode, "stream")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "unknown mode %s", mode);
    return FALSE;
  }
  soup_message_set_request_body (msg, "audio/wav", body,
      g_file_info_get_size (info));
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) reply = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree gchar *authorization = NULL;

  if (argc != 5) {
    g_printerr ("usage: upload-writes stream|mapped|buffered FILE URL TOKEN\n");
    return 2;
  }
  session = soup_session_new ();
  msg = soup_message_new ("POST", argv[3]);
  if (!msg) {
    g_printerr ("upload-writes: not a URL: %s\n", argv[3]);
    return 2;
  }
  authorization = g_strconcat ("Bearer ", argv[4], NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", authorization);
  if (!set_body (msg, argv[1], argv[2], &error)) {
    g_printerr ("upload-writes: %s\n", error->message);
    return 1;
  }
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data),
      NULL);
  reply = soup_session_send (session, msg, NULL, &error);
  if (reply)
    bytes = g_input_stream_read_bytes (reply, 65536, NULL, &error);
  if (!bytes) {
    g_printerr ("upload-writes: %s\n", error->message);
    return 1;
  }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg))) {
    g_printerr ("upload-writes: HTTP %u\n", soup_message_get_status (msg));
    return 1;
  }
  g_print ("writes=%" G_GUINT64_FORMAT " largest=%" G_GUINT64_FORMAT "\n",
      writes, largest);
  return 0;
}
