/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Shows an application embedding symblsink: record a meeting, wait for
 * Symbl's job, and print the trackers it detected, all read from the bus.
 *
 *   record-and-track [MEETING-FILE [TRACKERS-FILE]]
 *
 * Credentials and the API come from the environment: SYMBL_ACCESS_TOKEN
 * (or SYMBL_APP_ID and SYMBL_APP_SECRET) and, for the local server,
 * SYMBL_API_URL. Build: cc record-and-track.c $(pkg-config --cflags --libs
 * gstreamer-1.0) */
#include <gst/gst.h>

int
main (int argc, char **argv)
{
  const gchar *meeting = argc > 1 ? argv[1] : "examples/meeting.ogg";
  const gchar *trackers = argc > 2 ? argv[2] : "examples/trackers.json";
  GstElement *pipeline, *file, *sink;
  GstBus *bus;
  GError *error = NULL;
  gboolean done = FALSE;
  int status = 1;

  gst_init (&argc, &argv);

  pipeline = gst_parse_launch ("filesrc name=file ! decodebin ! "
      "symblsink name=symbl wait-for-job=true", &error);
  if (!pipeline) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  file = gst_bin_get_by_name (GST_BIN (pipeline), "file");
  g_object_set (file, "location", meeting, NULL);
  gst_object_unref (file);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "symbl");
  g_object_set (sink, "trackers-location", trackers, NULL);
  gst_object_unref (sink);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while (!done) {
    GstMessage *msg = gst_bus_timed_pop (bus, GST_CLOCK_TIME_NONE);
    const GstStructure *s = gst_message_get_structure (msg);

    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_structure_has_name (s, "symbl-job"))
          g_print ("conversation-id: %s\njob-id: %s\n",
              gst_structure_get_string (s, "conversation-id"),
              gst_structure_get_string (s, "job-id"));
        else if (gst_structure_has_name (s, "symbl-job-status"))
          g_print ("job status: %s\n", gst_structure_get_string (s, "status"));
        else if (gst_structure_has_name (s, "symbl-trackers"))
          g_print ("trackers detected: %s\n",
              gst_structure_get_string (s, "trackers"));
        break;
      case GST_MESSAGE_ERROR:{
        const GstStructure *details = NULL;

        gst_message_parse_error (msg, &error, NULL);
        gst_message_parse_error_details (msg, &details);
        g_printerr ("error: %s\n", error->message);
        /* Nothing is lost: the recording waits on disk for a later try. */
        if (details && gst_structure_has_field (details, "spool-location"))
          g_printerr ("recording kept in %s\n",
              gst_structure_get_string (details, "spool-location"));
        g_clear_error (&error);
        done = TRUE;
        break;
      }
      case GST_MESSAGE_EOS:
        status = 0;
        done = TRUE;
        break;
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
