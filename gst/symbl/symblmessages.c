/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblmessages.h"

static GstStructure *
ids_structure (const gchar * name, const SymblJobIds * ids)
{
  return gst_structure_new (name,
      "conversation-id", G_TYPE_STRING, ids->conversation_id,
      "job-id", G_TYPE_STRING, ids->job_id, NULL);
}

GstMessage *
symbl_message_job (GstObject * src, const SymblJobIds * ids,
    const SymblMediaFormat * format, guint64 size, GstClockTime duration,
    const gchar * kept_path)
{
  GstStructure *s = ids_structure ("symbl-job", ids);

  gst_structure_set (s,
      "media-type", G_TYPE_STRING, symbl_media_kind_to_string (format->kind),
      "format", G_TYPE_STRING, format->name, "size", G_TYPE_UINT64, size, NULL);
  if (GST_CLOCK_TIME_IS_VALID (duration))
    gst_structure_set (s, "duration", G_TYPE_UINT64, duration, NULL);
  if (kept_path)
    gst_structure_set (s, "location", G_TYPE_STRING, kept_path, NULL);
  return gst_message_new_element (src, s);
}

GstMessage *
symbl_message_job_status (GstObject * src, const SymblJobIds * ids,
    const gchar * status)
{
  GstStructure *s = ids_structure ("symbl-job-status", ids);

  gst_structure_set (s, "status", G_TYPE_STRING, status, NULL);
  return gst_message_new_element (src, s);
}

GstMessage *
symbl_message_trackers (GstObject * src, const SymblJobIds * ids,
    const gchar * trackers)
{
  GstStructure *s = ids_structure ("symbl-trackers", ids);

  gst_structure_set (s, "trackers", G_TYPE_STRING, trackers, NULL);
  return gst_message_new_element (src, s);
}

GstMessage *
symbl_message_progress (GstObject * src, GstProgressType type,
    const gchar * code, gint percent, const gchar * format, ...)
{
  g_autofree gchar *text = NULL;
  GstMessage *msg;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  msg = gst_message_new_progress (src, type, code, text);
  /* GStreamer fills in 0 or 100: a job has no percentage to tell. */
  if (percent >= 0)
    gst_structure_set (gst_message_writable_structure (msg), "percent",
        G_TYPE_INT, percent, NULL);
  else
    gst_structure_remove_field (gst_message_writable_structure (msg),
        "percent");
  return msg;
}
