/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblstreaminfo: what symblsink knows of a recording that the encoded
 * stream does not say, told to symbluploadsink in the stream itself: a
 * custom downstream sticky event, "symbl-stream-info", with
 *   input-rate (int): the audio's rate before it was encoded (mode auto);
 *   channels (int): 2 for a call with one speaker per channel;
 *   channel-metadata (string, optional): who speaks on which channel;
 *   duration (guint64, ns, optional): how long the encoded audio lasts.
 * An application that feeds symbluploadsink may send it too.
 */
#pragma once

#include <gst/gst.h>

#include "symbloptions.h"

G_BEGIN_DECLS

#define SYMBL_STREAM_INFO_EVENT "symbl-stream-info"

GstEvent *symbl_stream_info_event_new (const SymblStreamInfo * info,
    GstClockTime duration);

/* TRUE if @event is one: fills @info (its channel_metadata is @event's,
 * valid while @event is) and @duration (GST_CLOCK_TIME_NONE if absent). */
gboolean symbl_stream_info_event_parse (GstEvent * event,
    SymblStreamInfo * info, GstClockTime * duration);

G_END_DECLS
