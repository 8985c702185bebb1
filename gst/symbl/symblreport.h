/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblreport: what both elements tell the application about an upload,
 * on their own bus: settings refused at READY, retries, progress, errors
 * that say where the recording is kept, the job followed to its
 * trackers, what the API says before the recording ends, and the
 * recordings resumed from spool-dir. The elements
 * decide when; this says how, once.
 */
#pragma once

#include <gst/gst.h>

#include "symblupload.h"

G_BEGIN_DECLS

typedef struct _SymblBackground SymblBackground;

typedef struct
{
  GstElement *element;          /* posts as this one */
  SymblUpload *upload;
  /* The uploading thread's: the upload's progress, last reported. */
  gint last_percent;
  gint64 last_progress_time;
  const SymblJobIds *job;       /* the job being followed */
} SymblReport;

/* NULL -> READY: checks @settings and makes their upload, posting the
 * advice as warnings; NULL, with the error posted, when they are unusable. */
SymblUpload *symbl_report_prepare (GstElement * element,
    const SymblSettings * settings);

void symbl_report_init (SymblReport * report, GstElement * element,
    SymblUpload * upload);

/* The callbacks an upload takes, with @report as their user data. */
SymblUploadCallbacks symbl_report_callbacks (SymblReport * report);

/* The start and the end of an upload of @what (for the text: "the
 * recording", "segment 2"), @size bytes, as progress that names the host;
 * a success's text carries the ids, for gst-launch-1.0 without -m. */
void symbl_report_upload_start (SymblReport * report, const gchar * what,
    guint64 size);
void symbl_report_upload_end (SymblReport * report, gboolean ok,
    const SymblJobIds * ids, const GError * error);

/* A failed upload: of the whole recording (@segment NULL), or of segment
 * @segment->index, which was to be appended to @segment->conversation_id. */
typedef struct
{
  guint index;
  const gchar *conversation_id;
} SymblReportSegment;

void symbl_report_upload_error (SymblReport * report,
    const SymblMediaFormat * format, const gchar * path,
    const SymblReportSegment * segment, const GError * error,
    const SymblResponse * response);

/* Stopped with @kept (paths) not uploaded, of a recording in segments. */
/* The error for a stream that ended without any data. */
void symbl_report_nothing_recorded (SymblReport * report);

void symbl_report_kept_segments (SymblReport * report, GPtrArray * kept,
    const gchar * conversation_id);

/* wait-for-job: the job's statuses, then its trackers. */
gboolean symbl_report_follow_job (SymblReport * report,
    const SymblJobIds * ids, GCancellable * cancellable);

/* "." to end @text as a sentence, or "" when it ends one already, as an
 * API's own message may: for "%s%s Next sentence" texts, never "..". */
const gchar *symbl_report_full_stop (const gchar * text);

/* A GstStructure of details with spool-location = @path. */
GstStructure *symbl_report_spool_details (const gchar * path);

/* From READY, in a thread of its own, so that no state change waits on
 * the network: checks that the API answers and takes the credentials
 * (symbl_upload_check), posting a warning at once if not, so that a live
 * meeting goes on recording; then, with @resume (resume-pending), sends
 * what @upload's spool-dir holds for its API, posting a symbl-job with
 * resumed=true for each. Stop cancels and joins it. */
SymblBackground *symbl_background_start (GstElement * element,
    SymblUpload * upload, gboolean resume);
void symbl_background_stop (SymblBackground * background);

G_END_DECLS
