/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Shows a media server recording a call: Opus over RTP on a UDP port (as a
 * WebRTC or SIP gateway hands it over) is recorded by symblsink and
 * uploaded when the call ends, that is when no packet came for a while.
 *
 *   rtp-call-recorder [PORT [SILENCE-SECONDS]]
 *
 * PORT 0 (the default) lets the system choose; the port is printed first.
 * The call ends after SILENCE-SECONDS (default 5) without a packet.
 * Credentials and the API come from the environment: SYMBL_ACCESS_TOKEN
 * (or SYMBL_APP_ID and SYMBL_APP_SECRET) and, for the local server,
 * SYMBL_API_URL. Build: cc rtp-call-recorder.c $(pkg-config --cflags --libs
 * gstreamer-1.0) */
#include <gst/gst.h>

#define RTP_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
    "clock-rate=48000,payload=96"

static gint call_started;

/* udpsrc also times out before the call starts: only a call that had
 * packets can end. */
static GstPadProbeReturn
on_first_packet (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_set (&call_started, TRUE);
  return GST_PAD_PROBE_REMOVE;
}

int
main (int argc, char **argv)
{
  guint64 port = 0, silence_s = 5;
  GstElement *pipeline, *udpsrc;
  GstPad *pad;
  GstBus *bus;
  GError *error = NULL;
  gchar *description;
  gboolean args_ok = TRUE, done = FALSE, ending = FALSE, uploaded = FALSE;
  int status = 1;

  gst_init (&argc, &argv);

  if (argc > 1)
    args_ok = g_ascii_string_to_unsigned (argv[1], 10, 0, 65535, &port, NULL);
  if (args_ok && argc > 2)
    args_ok = g_ascii_string_to_unsigned (argv[2], 10, 1, 86400, &silence_s,
        NULL);
  if (!args_ok) {
    g_printerr ("usage: rtp-call-recorder [PORT (0-65535) "
        "[SILENCE-SECONDS (1-86400)]]\n");
    return 2;
  }

  /* timeout: udpsrc posts a GstUDPSrcTimeout message after that long
   * without a packet. */
  description = g_strdup_printf ("udpsrc name=rtp port=%u timeout=%"
      G_GUINT64_FORMAT " caps=\"" RTP_CAPS "\" ! rtpjitterbuffer ! "
      "rtpopusdepay ! opusdec ! symblsink name=symbl", (guint) port,
      silence_s * GST_SECOND);
  pipeline = gst_parse_launch (description, &error);
  g_free (description);
  if (!pipeline) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  udpsrc = gst_bin_get_by_name (GST_BIN (pipeline), "rtp");
  pad = gst_element_get_static_pad (udpsrc, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_first_packet, NULL,
      NULL);
  gst_object_unref (pad);

  bus = gst_element_get_bus (pipeline);
  /* On failure the loop below reads and prints the error on the bus. */
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE) {
    gint bound_port;

    /* The socket is bound by now: port 0 became a real one. */
    g_object_get (udpsrc, "port", &bound_port, NULL);
    g_print ("listening on UDP port %d\n", bound_port);
  }
  gst_object_unref (udpsrc);

  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
        GST_MESSAGE_WARNING);
    const GstStructure *s = gst_message_get_structure (msg);

    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_structure_has_name (s, "GstUDPSrcTimeout") && !ending
            && g_atomic_int_get (&call_started)) {
          /* The call ended: EOS makes symblsink upload the recording. */
          g_print ("call ended, uploading\n");
          ending = TRUE;
          gst_element_send_event (pipeline, gst_event_new_eos ());
        } else if (gst_structure_has_name (s, "symbl-job")) {
          g_print ("conversation-id: %s\njob-id: %s\n",
              gst_structure_get_string (s, "conversation-id"),
              gst_structure_get_string (s, "job-id"));
          uploaded = TRUE;
        }
        break;
      case GST_MESSAGE_EOS:
        status = uploaded ? 0 : 1;
        done = TRUE;
        break;
      case GST_MESSAGE_ERROR:
      case GST_MESSAGE_WARNING:{
        gchar *debug = NULL;

        if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
          gst_message_parse_error (msg, &error, &debug);
        else
          gst_message_parse_warning (msg, &error, &debug);
        /* Retries are warnings; a failed upload names the kept file. */
        g_printerr ("%s: %s\n", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
            error->message);
        done = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR;
        g_clear_error (&error);
        g_free (debug);
        break;
      }
      default:
        break;
    }
    gst_message_unref (msg);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return status;
}
