/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblstreaminfo.h"

GstEvent *
symbl_stream_info_event_new (const SymblStreamInfo * info,
    GstClockTime duration)
{
  GstStructure *s = gst_structure_new (SYMBL_STREAM_INFO_EVENT,
      "input-rate", G_TYPE_INT, (gint) info->input_rate,
      "channels", G_TYPE_INT, (gint) info->channels, NULL);

  if (info->channel_metadata)
    gst_structure_set (s, "channel-metadata", G_TYPE_STRING,
        info->channel_metadata, NULL);
  if (GST_CLOCK_TIME_IS_VALID (duration))
    gst_structure_set (s, "duration", G_TYPE_UINT64, duration, NULL);
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, s);
}

gboolean
symbl_stream_info_event_parse (GstEvent * event, SymblStreamInfo * info,
    GstClockTime * duration)
{
  const GstStructure *s = gst_event_get_structure (event);
  gint rate = 0, channels = 0;
  guint64 ns;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM_STICKY || !s
      || !gst_structure_has_name (s, SYMBL_STREAM_INFO_EVENT))
    return FALSE;
  gst_structure_get_int (s, "input-rate", &rate);
  gst_structure_get_int (s, "channels", &channels);
  info->input_rate = MAX (rate, 0);
  info->channels = MAX (channels, 0);
  info->channel_metadata = gst_structure_get_string (s, "channel-metadata");
  *duration = gst_structure_get_uint64 (s, "duration", &ns) ? ns :
      GST_CLOCK_TIME_NONE;
  return TRUE;
}
