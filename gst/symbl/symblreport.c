/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "config.h"
#include "symblreport.h"

#include <string.h>

#include "symblmessages.h"
#include "symblresume.h"
#include "symbltrackers.h"

/* gst-launch-1.0 prints progress: twice a second is enough to watch. */
#define PROGRESS_INTERVAL_US (500 * G_TIME_SPAN_MILLISECOND)

/* Posts an error or warning with structured details (http-status-code,
 * spool-location) that applications read with
 * gst_message_parse_error_details (). Takes @text, @debug and @details. */
#define post_error(element, domain, code, details, text, debug) \
  gst_element_message_full_with_details (element, GST_MESSAGE_ERROR, \
      domain, code, text, debug, __FILE__, GST_FUNCTION, __LINE__, details)
#define post_warning(element, domain, code, details, text, debug) \
  gst_element_message_full_with_details (element, GST_MESSAGE_WARNING, \
      domain, code, text, debug, __FILE__, GST_FUNCTION, __LINE__, details)

const gchar *
symbl_report_full_stop (const gchar * text)
{
  gsize length = strlen (text);

  return length && strchr (".!?", text[length - 1]) ? "" : ".";
}

GstStructure *
symbl_report_spool_details (const gchar * path)
{
  return gst_structure_new ("details", "spool-location", G_TYPE_STRING, path,
      NULL);
}

static GstResourceError
settings_error_code (const GError * error)
{
  if (g_error_matches (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_NO_TOKEN)
      || g_error_matches (error, SYMBL_UPLOAD_ERROR,
          SYMBL_UPLOAD_ERROR_CREDENTIALS))
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  if (g_error_matches (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_READ))
    return GST_RESOURCE_ERROR_OPEN_READ;
  if (g_error_matches (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SPOOL_DIR))
    return GST_RESOURCE_ERROR_OPEN_WRITE;
  return GST_RESOURCE_ERROR_SETTINGS;
}

SymblUpload *
symbl_report_prepare (GstElement * element, const SymblSettings * settings)
{
  g_autoptr (GPtrArray) advice = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  SymblUpload *upload = symbl_upload_new (settings, advice, &error);
  guint i;

  /* Advice does not stop anything: the trackers are still sent. */
  for (i = 0; i < advice->len; i++)
    GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS, ("%s",
            (gchar *) g_ptr_array_index (advice, i)), (NULL));
  if (!upload) {
    post_error (element, GST_RESOURCE_ERROR, settings_error_code (error),
        NULL, g_strdup (error->message), NULL);
    g_error_free (error);
  }
  return upload;
}

void
symbl_report_init (SymblReport * report, GstElement * element,
    SymblUpload * upload)
{
  report->element = element;
  report->upload = upload;
  report->last_percent = -1;
  report->last_progress_time = 0;
  report->job = NULL;
}

static void
post (SymblReport * report, GstMessage * message)
{
  gst_element_post_message (report->element, message);
}

/* Full job slots are no fault: a progress message per wait says why the
 * upload waits, with the delay and the status in its structure. */
static void
post_slot_wait (SymblReport * report, guint wait,
    const SymblResponse * response, gdouble delay)
{
  GstMessage *progress = symbl_message_progress (GST_OBJECT
      (report->element), GST_PROGRESS_TYPE_CONTINUE, "upload", -1,
      "Waiting for a free job slot: the account's concurrent jobs at Symbl "
      "are all running (HTTP 429); trying again in %.1f s", delay);

  gst_structure_set (gst_message_writable_structure (progress),
      "slot-wait", G_TYPE_UINT, wait, "retry-delay", G_TYPE_DOUBLE, delay,
      "http-status-code", G_TYPE_UINT, response->status, NULL);
  post (report, progress);
}

/* One warning per retry, so that a person watching sees why it waits. */
static void
on_retry (guint attempt, guint max_attempts, const GError * error,
    const SymblResponse * response, gdouble delay, gboolean slots_full,
    gpointer user_data)
{
  SymblReport *report = user_data;
  g_autofree gchar *of = NULL;
  GstStructure *details;

  if (slots_full) {
    post_slot_wait (report, attempt, response, delay);
    return;
  }
  of = max_attempts ? g_strdup_printf (" of %u", max_attempts) : g_strdup ("");
  details = gst_structure_new ("details",
      "attempt", G_TYPE_UINT, attempt,
      "retry-delay", G_TYPE_DOUBLE, delay,
      "reason", G_TYPE_STRING, error->message, NULL);
  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  post_warning (report->element, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
      details, g_strdup_printf ("Upload attempt %u%s failed (%s); retrying "
          "in %.1f s", attempt, of, error->message, delay), NULL);
}

/* Progress that gst-launch-1.0 prints: at most twice a second, and 100%. */
static void
on_progress (guint64 sent, guint64 total, gpointer user_data)
{
  SymblReport *report = user_data;
  gint percent = total ? (gint) (sent * 100 / total) : 100;
  gint64 now = g_get_monotonic_time ();

  if (percent == report->last_percent || (percent < 100
          && now - report->last_progress_time < PROGRESS_INTERVAL_US))
    return;
  report->last_percent = percent;
  report->last_progress_time = now;
  post (report, symbl_message_progress (GST_OBJECT (report->element),
          GST_PROGRESS_TYPE_CONTINUE, "upload", percent, "Uploading: %d%%",
          percent));
}

static void
on_job_status (const gchar * status, gpointer user_data)
{
  SymblReport *report = user_data;

  post (report, symbl_message_job_status (GST_OBJECT (report->element),
          report->job, status));
  post (report, symbl_message_progress (GST_OBJECT (report->element),
          GST_PROGRESS_TYPE_CONTINUE, "job", -1, "Job %s: %s",
          report->job->job_id, status));
}

SymblUploadCallbacks
symbl_report_callbacks (SymblReport * report)
{
  SymblUploadCallbacks callbacks = { on_retry, on_progress, on_job_status,
    report
  };

  return callbacks;
}

static GstProgressType
progress_end (gboolean ok, const GError * error)
{
  if (ok)
    return GST_PROGRESS_TYPE_COMPLETE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return GST_PROGRESS_TYPE_CANCELED;
  return GST_PROGRESS_TYPE_ERROR;
}

void
symbl_report_upload_start (SymblReport * report, const gchar * what,
    guint64 size)
{
  g_autoptr (GUri) api = g_uri_parse (symbl_upload_get_api_url
      (report->upload), G_URI_FLAGS_NONE, NULL);

  report->last_percent = -1;
  report->last_progress_time = 0;
  post (report, symbl_message_progress (GST_OBJECT (report->element),
          GST_PROGRESS_TYPE_START, "upload", 0, "Uploading %s (%.1f MB) to "
          "%s", what, size / 1e6, api ? g_uri_get_host (api) : "Symbl"));
}

void
symbl_report_upload_end (SymblReport * report, gboolean ok,
    const SymblJobIds * ids, const GError * error)
{
  if (ok)
    post (report, symbl_message_progress (GST_OBJECT (report->element),
            GST_PROGRESS_TYPE_COMPLETE, "upload", 100, "Upload complete: "
            "conversation-id=%s job-id=%s", ids->conversation_id, ids->job_id));
  else
    post (report, symbl_message_progress (GST_OBJECT (report->element),
            progress_end (ok, error), "upload", -1, "Upload failed"));
}

static GstResourceError
upload_error_code (const GError * error, guint status)
{
  if (status == 401 || status == 403)
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  if (status == 404)
    return GST_RESOURCE_ERROR_NOT_FOUND;
  if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_MALFORMED_REPLY))
    return GST_RESOURCE_ERROR_FAILED;
  if (status == 0 && error->domain != G_FILE_ERROR)
    return GST_RESOURCE_ERROR_OPEN_WRITE;
  return GST_RESOURCE_ERROR_WRITE;
}

/* How to send kept segments, in order, to the meeting's conversation. */
static gchar *
append_advice (const gchar * spool_dir)
{
  return g_strdup_printf ("Their manifests say where each goes: send them, "
      "in order, with: symbl-outbox send --spool-dir %s", spool_dir);
}

void
symbl_report_upload_error (SymblReport * report,
    const SymblMediaFormat * format, const gchar * path,
    const SymblReportSegment * segment, const GError * error,
    const SymblResponse * response)
{
  g_autofree gchar *request = symbl_upload_describe (report->upload, format,
      segment ? segment->conversation_id : NULL);
  g_autofree gchar *what = NULL;
  g_autofree gchar *kept = NULL;
  g_autofree gchar *advice = NULL;
  GstStructure *details = symbl_report_spool_details (path);
  gchar *text;

  if (segment) {
    what = g_strdup_printf ("segment %u of the recording", segment->index);
    advice = append_advice (symbl_upload_get_spool_dir (report->upload));
    kept = g_strdup_printf ("It is kept in %s, and the segments after it "
        "beside it (their names end in -segment-NNN). %s", path, advice);
  } else {
    what = g_strdup ("the recording");
    kept = g_strdup_printf ("The recording is kept in %s.", path);
  }
  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  if (response->api_message)
    gst_structure_set (details, "api-message", G_TYPE_STRING,
        response->api_message, NULL);

  if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_HTTP_STATUS))
    text = g_strdup_printf ("Symbl refused %s: %s%s %s", what,
        error->message, symbl_report_full_stop (error->message), kept);
  else if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_MALFORMED_REPLY))
    text = g_strdup_printf ("Symbl took %s, but %s%s %s", what,
        error->message, symbl_report_full_stop (error->message), kept);
  else
    text = g_strdup_printf ("Could not upload %s (%s): %s%s %s", what,
        request, error->message, symbl_report_full_stop (error->message), kept);

  post_error (report->element, GST_RESOURCE_ERROR, upload_error_code (error,
          response->status), details, text, g_strdup (request));
}

void
symbl_report_nothing_recorded (SymblReport * report)
{
  GST_ELEMENT_ERROR (report->element, STREAM, FAILED,
      ("The stream ended before any data arrived: nothing was recorded "
          "and nothing was uploaded"), (NULL));
}

void
symbl_report_kept_segments (SymblReport * report, GPtrArray * kept,
    const gchar * conversation_id)
{
  g_autofree gchar *advice =
      append_advice (symbl_upload_get_spool_dir (report->upload));
  g_autoptr (GString) list = g_string_new (NULL);
  guint i;

  if (kept->len == 0)
    return;
  for (i = 0; i < kept->len; i++)
    g_string_append_printf (list, "%s%s", i ? " " : "",
        (const gchar *) g_ptr_array_index (kept, i));
  GST_ELEMENT_WARNING_WITH_DETAILS (report->element, RESOURCE, WRITE,
      ("Stopped before every segment was uploaded. These are kept, in "
          "order: %s. %s%s%s", list->str, advice, conversation_id ?
          "; they go to conversation " : "", conversation_id ?
          conversation_id : ""), (NULL), ("spool-location", G_TYPE_STRING,
          g_ptr_array_index (kept, 0), NULL));
}

static void
post_job_error (SymblReport * report, const SymblJobIds * ids,
    const GError * error, const SymblResponse * response)
{
  GstStructure *details = gst_structure_new ("details",
      "conversation-id", G_TYPE_STRING, ids->conversation_id,
      "job-id", G_TYPE_STRING, ids->job_id, NULL);

  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  post_error (report->element, GST_RESOURCE_ERROR, response->status == 401
      || response->status == 403 ? GST_RESOURCE_ERROR_NOT_AUTHORIZED :
      GST_RESOURCE_ERROR_FAILED, details, g_strdup_printf ("The recording "
          "was uploaded (conversation %s), but following its job failed: %s",
          ids->conversation_id, error->message), NULL);
}

gboolean
symbl_report_follow_job (SymblReport * report, const SymblJobIds * ids,
    GCancellable * cancellable)
{
  SymblUploadCallbacks callbacks = symbl_report_callbacks (report);
  SymblResponse response = SYMBL_RESPONSE_INIT;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *trackers = NULL;
  g_autofree gchar *warning = NULL;
  GstObject *src = GST_OBJECT (report->element);
  gboolean ok;

  report->job = ids;
  post (report, symbl_message_progress (src, GST_PROGRESS_TYPE_START, "job",
          -1, "Waiting for job %s", ids->job_id));
  ok = symbl_upload_wait_for_job (report->upload, ids, &callbacks, &trackers,
      &warning, &response, cancellable, &error);
  if (warning)
    GST_ELEMENT_WARNING (report->element, RESOURCE, READ, ("%s", warning),
        (NULL));
  if (trackers)
    post (report, symbl_message_trackers (src, ids, trackers));
  post (report, symbl_message_progress (src, progress_end (ok, error), "job",
          -1, "Job %s %s", ids->job_id, ok ? "completed" : "not completed"));
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    post_job_error (report, ids, error, &response);
  symbl_response_clear (&response);
  report->job = NULL;
  return ok;
}

struct _SymblBackground
{
  GstElement *element;
  SymblUpload *upload;
  SymblReport report;           /* the background thread's */
  gboolean resume;
  GCancellable *cancellable;
  GThread *thread;
};

/* Only what goes to this element's API, whose credentials it has; what
 * goes elsewhere is left for symbl-outbox. */
static SymblUpload *
resume_uploader (const gchar * api_url, gpointer user_data, gchar ** why)
{
  SymblBackground *background = user_data;

  return g_strcmp0 (api_url,
      symbl_upload_get_api_url (background->upload)) == 0 ?
      background->upload : NULL;
}

static void
on_resuming (const SymblOutboxEntry * entry, gboolean repaired,
    gpointer user_data)
{
  SymblBackground *background = user_data;
  g_autofree gchar *name = g_path_get_basename (entry->recording);
  g_autofree gchar *what = g_strdup_printf ("the kept recording %s", name);

  symbl_report_upload_start (&background->report, what, entry->size);
}

static void
on_resumed (const SymblOutboxEntry * entry, const SymblJobIds * ids,
    gpointer user_data)
{
  SymblBackground *background = user_data;
  const SymblMediaFormat *format =
      symbl_media_format_from_file (entry->recording, NULL);
  GstMessage *job;

  if (!format)
    format = symbl_media_format_from_name ("wav");
  job = symbl_message_job (GST_OBJECT (background->element), ids, format,
      entry->size, entry->duration_s >= 0 ? (GstClockTime)
      (entry->duration_s * GST_SECOND) : GST_CLOCK_TIME_NONE, NULL);
  gst_structure_set (gst_message_writable_structure (job), "resumed",
      G_TYPE_BOOLEAN, TRUE, NULL);
  symbl_report_upload_end (&background->report, TRUE, ids, NULL);
  gst_element_post_message (background->element, job);
}

/* A warning, not an error: the meeting being recorded goes on. */
static void
on_resume_failed (const SymblOutboxEntry * entry, const GError * error,
    gpointer user_data)
{
  SymblBackground *background = user_data;

  symbl_report_upload_end (&background->report, FALSE, NULL, error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  GST_ELEMENT_WARNING_WITH_DETAILS (background->element, RESOURCE, WRITE,
      ("Could not resume the upload of %s: %s%s It stays, with its "
          "manifest: symbl-outbox list shows it", entry->recording,
          error->message, symbl_report_full_stop (error->message)), (NULL),
      ("spool-location", G_TYPE_STRING, entry->recording, NULL));
}

/* A warning too: refused credentials would refuse the upload, but the
 * meeting is recorded and kept all the same, and can be sent once they
 * are mended. */
static void
check (SymblBackground * background)
{
  g_autoptr (GError) error = NULL;

  if (symbl_upload_check (background->upload, background->cancellable,
          &error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gst_element_message_full (background->element, GST_MESSAGE_WARNING,
      GST_RESOURCE_ERROR, g_error_matches (error, SYMBL_UPLOAD_ERROR,
          SYMBL_UPLOAD_ERROR_CREDENTIALS) ? GST_RESOURCE_ERROR_NOT_AUTHORIZED :
      GST_RESOURCE_ERROR_OPEN_READ_WRITE, g_strdup (error->message), NULL,
      __FILE__, GST_FUNCTION, __LINE__);
}

static gpointer
run_in_background (gpointer data)
{
  SymblBackground *background = data;
  SymblResumeCallbacks callbacks = { resume_uploader, on_resuming,
    on_resumed, on_resume_failed, NULL, background,
    symbl_report_callbacks (&background->report)
  };
  g_autoptr (GError) error = NULL;

  check (background);
  if (background->resume && symbl_resume (symbl_upload_get_spool_dir
          (background->upload), FALSE, &callbacks, background->cancellable,
          &error) < 0)
    GST_WARNING_OBJECT (background->element, "nothing resumed: %s",
        error->message);
  return NULL;
}

SymblBackground *
symbl_background_start (GstElement * element, SymblUpload * upload,
    gboolean resume)
{
  SymblBackground *background = g_new0 (SymblBackground, 1);

  background->element = element;
  background->upload = upload;
  background->resume = resume;
  symbl_report_init (&background->report, element, upload);
  background->cancellable = g_cancellable_new ();
  background->thread = g_thread_new ("symbl-background", run_in_background,
      background);
  return background;
}

/* Going to NULL never waits on the network: what is under way is
 * cancelled, and a recording being resumed stays for the next time. */
void
symbl_background_stop (SymblBackground * background)
{
  if (!background)
    return;
  g_cancellable_cancel (background->cancellable);
  g_thread_join (background->thread);
  g_object_unref (background->cancellable);
  g_free (background);
}
