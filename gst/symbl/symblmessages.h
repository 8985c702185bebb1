/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblmessages: what the sinks post on the bus (docs/user-guide.md,
 * "Messages"): the structure names and fields are the interface that
 * applications read. */
#pragma once

#include <gst/gst.h>

#include "symblclient.h"
#include "symblmedia.h"

G_BEGIN_DECLS

/* symbl-job: the API accepted the recording. @duration may be
 * GST_CLOCK_TIME_NONE and @kept_path NULL; they are then left out. */
GstMessage *symbl_message_job (GstObject * src, const SymblJobIds * ids,
    const SymblMediaFormat * format, guint64 size, GstClockTime duration,
    const gchar * kept_path);

/* symbl-job-status: the job's status changed. */
GstMessage *symbl_message_job_status (GstObject * src,
    const SymblJobIds * ids, const gchar * status);

/* symbl-trackers: the trackers detected in the completed job, as the JSON
 * text the API returned. */
GstMessage *symbl_message_trackers (GstObject * src, const SymblJobIds * ids,
    const gchar * trackers);

/* A GST_MESSAGE_PROGRESS of @code ("upload" or "job") with @percent
 * (-1: none), which gst-launch-1.0 prints. */
GstMessage *symbl_message_progress (GstObject * src, GstProgressType type,
    const gchar * code, gint percent, const gchar * format, ...)
    G_GNUC_PRINTF (5, 6);

G_END_DECLS
