/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/**
 * SECTION:element-symbluploadsink
 * @title: symbluploadsink
 *
 * Uploads an encoded recording (WAV, MP3, AAC, FLAC, Ogg, M4A, AMR, AC3,
 * AIFF, WMA or MP4) to the Symbl.ai Async API and posts the conversation
 * and job ids on the bus.
 *
 * The stream is written to a file in #GstSymblUploadSink:spool-dir as it
 * arrives. At end of stream the file is sent as it is, byte for byte, to
 * `POST {api-url}/v1/process/audio` (or `/video` for MP4), streamed from
 * disk. Then an element message `symbl-job` carries `conversation-id` and
 * `job-id`, and only after it does EOS reach the bus. When the upload
 * fails, the error names the file that keeps the recording.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e filesrc location=meeting.mp3 ! mpegaudioparse ! symbluploadsink trackers-location=trackers.json
 * ]|
 */
#include "config.h"
#include "gstsymbluploadsink.h"

#include <glib/gstdio.h>

#include "symblmedia.h"
#include "symblmessages.h"
#include "symbloptions.h"
#include "symblreport.h"
#include "symblstreaminfo.h"
#include "symblsettings.h"
#include "symblspool.h"
#include "symblwavrepair.h"
#include "symblupload.h"
#include "symbltrackers.h"


GST_DEBUG_CATEGORY_STATIC (gst_symbl_upload_sink_debug);
#define GST_CAT_DEFAULT gst_symbl_upload_sink_debug

enum
{
  PROP_0,
  PROP_SETTINGS_FIRST,
};

struct _GstSymblUploadSink
{
  GstBaseSink parent;

  SymblSettings settings;       /* object lock */

  SymblUpload *upload;          /* READY and up */

  /* Streaming thread only. */
  SymblSpool *spool;
  SymblOutboxEntry *entry;      /* the spool's manifest; holds its lock */
  gboolean write_failed;        /* the spool is kept; nothing more recorded */
  const SymblMediaFormat *format;       /* NULL until caps or typefinding */
  GstClockTime first_time;
  GstClockTime end_time;
  gint caps_rate;               /* the rate the caps say, 0: none */
  gboolean warned_too_long;     /* past 4 hours, told once */
  GstEvent *stream_info;        /* the last symbl-stream-info, if any */
  SymblReport report;           /* what the upload posts */

  SymblBackground *background;  /* READY and up */

  GMutex cancel_lock;
  GCancellable *cancellable;    /* cancel_lock; replaced by unlock_stop */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SYMBL_MEDIA_CAPS));

#define gst_symbl_upload_sink_parent_class parent_class
G_DEFINE_TYPE (GstSymblUploadSink, gst_symbl_upload_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (symbluploadsink, "symbluploadsink",
    GST_RANK_NONE, GST_TYPE_SYMBL_UPLOAD_SINK);

/* Posts an error with structured details (http-status-code, spool-location)
 * that applications read with gst_message_parse_error_details(). Takes
 * @text, @debug and @details. */
#define post_error(self, domain, code, details, text, debug) \
  gst_element_message_full_with_details (GST_ELEMENT (self), \
      GST_MESSAGE_ERROR, domain, code, text, debug, __FILE__, GST_FUNCTION, \
      __LINE__, details)

/* NULL -> READY: every setting is checked before anything is recorded. */
static gboolean
prepare_upload (GstSymblUploadSink * self)
{
  SymblSettings settings;

  GST_OBJECT_LOCK (self);
  symbl_settings_copy (&self->settings, &settings);
  GST_OBJECT_UNLOCK (self);
  self->upload = symbl_report_prepare (GST_ELEMENT (self), &settings);
  if (self->upload) {
    symbl_report_init (&self->report, GST_ELEMENT (self), self->upload);
    self->background = symbl_background_start (GST_ELEMENT (self),
        self->upload, settings.resume_pending);
  }
  symbl_settings_clear (&settings);
  return self->upload != NULL;
}

/* A new stream: nothing known of it yet. */
static void
reset_stream (GstSymblUploadSink * self)
{
  self->format = NULL;
  self->write_failed = FALSE;
  self->first_time = GST_CLOCK_TIME_NONE;
  self->end_time = GST_CLOCK_TIME_NONE;
  self->warned_too_long = FALSE;
  gst_clear_event (&self->stream_info);
}

static void keep_unfinished (GstSymblUploadSink * self);
static void stream_info (GstSymblUploadSink * self, SymblStreamInfo * info);
static GstClockTime recorded_duration (GstSymblUploadSink * self);

/* The manifest beside the spool: where the recording goes and how far it
 * got, from what is known of it now. Saved in @state. */
static gboolean
save_entry (GstSymblUploadSink * self, SymblSpool * spool,
    SymblOutboxState state)
{
  SymblOutboxEntry *entry = self->entry;
  SymblStreamInfo info;
  g_autoptr (GError) error = NULL;
  GstClockTime duration = recorded_duration (self);

  if (!self->format)
    return FALSE;
  stream_info (self, &info);
  g_free (entry->recording);
  entry->recording = g_strdup (symbl_spool_get_path (spool));
  symbl_upload_address (self->upload, entry, self->format, &info, NULL);
  entry->size = symbl_spool_get_size (spool);
  entry->duration_s = GST_CLOCK_TIME_IS_VALID (duration) ?
      (gdouble) duration / GST_SECOND : -1;
  entry->state = state;
  if (symbl_outbox_entry_save (entry, &error))
    return TRUE;
  GST_WARNING_OBJECT (self, "no manifest beside %s: %s",
      symbl_spool_get_path (spool), error->message);
  return FALSE;
}

/* Lets go of the manifest; removes it with the recording when @remove. */
static void
drop_entry (GstSymblUploadSink * self, gboolean remove)
{
  g_autofree gchar *manifest = NULL;

  if (!self->entry)
    return;
  if (remove) {
    manifest = symbl_outbox_manifest_path (self->entry->recording);
    g_unlink (manifest);
  }
  g_clear_pointer (&self->entry, symbl_outbox_entry_free);
}

/* A stream ends at PAUSED to READY, not at READY to NULL as basesink's
 * stop would have it: a pipeline started again from READY records anew. */
static GstStateChangeReturn
gst_symbl_upload_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !prepare_upload (self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    reset_stream (self);

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    keep_unfinished (self);
  if (transition == GST_STATE_CHANGE_READY_TO_NULL) {
    g_clear_pointer (&self->background, symbl_background_stop);
    g_clear_pointer (&self->upload, symbl_upload_free);
  }
  return ret;
}

/* The recording never reached an upload: keep it if it holds anything. */
static void
keep_unfinished (GstSymblUploadSink * self)
{
  SymblSpool *spool = g_steal_pointer (&self->spool);
  gboolean keep;

  if (!spool)
    return;

  symbl_spool_close (spool, NULL);
  keep = symbl_spool_get_size (spool) > 0;
  if (keep) {
    if (self->entry && save_entry (self, spool, SYMBL_OUTBOX_READY))
      GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
          ("Stopped before the end of the stream: the recording was not "
              "uploaded and is kept in %s, with what its upload needs "
              "beside it. Upload it later with: symbl-outbox send "
              "--spool-dir %s", symbl_spool_get_path (spool),
              symbl_upload_get_spool_dir (self->upload)), (NULL),
          ("spool-location", G_TYPE_STRING, symbl_spool_get_path (spool),
              NULL));
    else
      GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
          ("Stopped before the end of the stream: the recording was not "
              "uploaded and is kept in %s. Upload it later with: "
              "gst-launch-1.0 filesrc location=%s ! symbluploadsink",
              symbl_spool_get_path (spool), symbl_spool_get_path (spool)),
          (NULL), ("spool-location", G_TYPE_STRING,
              symbl_spool_get_path (spool), NULL));
  }
  drop_entry (self, !keep);
  symbl_spool_free (spool, !keep);
}

static gboolean
gst_symbl_upload_sink_set_caps (GstBaseSink * sink, GstCaps * caps)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  const SymblMediaFormat *format;
  GError *error = NULL;

  format = symbl_media_format_from_caps (caps, &error);
  if (!format) {
    post_error (self, error->domain, error->code, NULL,
        g_strdup (error->message), NULL);
    g_error_free (error);
    return FALSE;
  }
  if (self->spool && self->format && format != self->format) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("The format changed from %s to %s in the middle of the recording",
            self->format->name, format->name), (NULL));
    return FALSE;
  }
  GST_DEBUG_OBJECT (self, "recording %s", format->name);
  self->format = format;
  /* Encoded caps often carry the rate; symblsink tells the input's. */
  if (!gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate",
          &self->caps_rate))
    self->caps_rate = 0;
  return TRUE;
}

/* Files are named after the element the user named: this one, or the
 * sink bin (symblsink) that wraps it; not the pipeline, which a sink
 * makes a sink too. */
static gchar *
spool_label (GstSymblUploadSink * self)
{
  g_autoptr (GstObject) parent = gst_object_get_parent (GST_OBJECT (self));

  if (parent && !GST_IS_PIPELINE (parent)
      && GST_OBJECT_FLAG_IS_SET (parent, GST_ELEMENT_FLAG_SINK))
    return gst_object_get_name (parent);
  return gst_object_get_name (GST_OBJECT (self));
}

static gboolean
open_spool (GstSymblUploadSink * self)
{
  g_autofree gchar *label = spool_label (self);
  GError *error = NULL;

  self->spool = symbl_spool_create (symbl_upload_get_spool_dir (self->upload),
      label, self->format ? self->format->extension : NULL, &error);
  if (!self->spool) {
    post_error (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        NULL, g_strdup_printf ("%s (spool-dir)", error->message), NULL);
    g_error_free (error);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "recording to %s", symbl_spool_get_path (self->spool));
  self->entry = symbl_outbox_entry_new (symbl_spool_get_path (self->spool),
      &error);
  if (!self->entry) {
    post_error (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        NULL, g_strdup_printf ("%s (spool-dir)", error->message), NULL);
    g_error_free (error);
    symbl_spool_free (g_steal_pointer (&self->spool), TRUE);
    return FALSE;
  }
  self->entry->meeting_id = g_uuid_string_random ();
  save_entry (self, self->spool, SYMBL_OUTBOX_RECORDING);
  return TRUE;
}

static void
post_write_error (GstSymblUploadSink * self, GError * error)
{
  gint code = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ?
      GST_RESOURCE_ERROR_NO_SPACE_LEFT : GST_RESOURCE_ERROR_WRITE;
  const gchar *path = symbl_spool_get_path (self->spool);

  post_error (self, GST_RESOURCE_ERROR, code, symbl_report_spool_details (path),
      g_strdup_printf ("%s%s What was recorded so far is kept in %s.",
          error->message, symbl_report_full_stop (error->message), path), NULL);
  /* Sources still send EOS after the error: a truncated recording must
   * not be uploaded then, nor a new one begun. */
  self->write_failed = TRUE;
  drop_entry (self, FALSE);
  symbl_spool_free (g_steal_pointer (&self->spool), FALSE);
}

/* @buffer's running time in a time segment, where a new segment follows
 * on from the last (concat of files: each starts again at 0, with a base
 * where the one before ended); its timestamp in any other. */
static GstClockTime
running_time (GstSymblUploadSink * self, GstBuffer * buffer)
{
  const GstSegment *segment = &GST_BASE_SINK (self)->segment;

  if (segment->format != GST_FORMAT_TIME)
    return GST_BUFFER_PTS (buffer);
  return gst_segment_to_running_time (segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buffer));
}

/* Notes @buffer's times; returns how far it moves the recording's end: its
 * duration, or the time since the previous buffer's end; 0 untimed. */
static GstClockTime
advance_end_time (GstSymblUploadSink * self, GstBuffer * buffer)
{
  GstClockTime pts = running_time (self, buffer);
  GstClockTime previous_end = self->end_time;
  GstClockTime end;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return 0;
  end = pts;
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    end += GST_BUFFER_DURATION (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (self->first_time) || pts < self->first_time)
    self->first_time = pts;
  if (!GST_CLOCK_TIME_IS_VALID (previous_end))
    previous_end = pts;
  else if (end <= previous_end)
    return 0;
  self->end_time = end;
  return end - previous_end;
}

/* Symbl refuses files longer than 4 hours, and encoded media cannot be
 * cut here. */
static gboolean
is_too_long (GstSymblUploadSink * self)
{
  GstClockTime duration = recorded_duration (self);

  return GST_CLOCK_TIME_IS_VALID (duration)
      && duration > SYMBL_MAX_FILE_DURATION;
}

/* Once, as soon as it is known, while a live meeting can still be
 * recorded another way next time. */
static void
warn_if_too_long (GstSymblUploadSink * self)
{
  if (self->warned_too_long || !is_too_long (self))
    return;
  self->warned_too_long = TRUE;
  GST_ELEMENT_WARNING (self, STREAM, FAILED,
      ("The recording is longer than 4 hours: Symbl refuses files longer "
          "than that (4 hours per file), and symbluploadsink cannot cut "
          "encoded media, so it will not be uploaded. To record longer "
          "meetings, record the raw audio with symblsink, which cuts it "
          "into parts appended to one conversation (symblsink "
          "segment-duration)"), (NULL));
}

static GstFlowReturn
gst_symbl_upload_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  GError *error = NULL;
  GstMapInfo map;
  gboolean written;

  if (self->write_failed || (!self->spool && !open_spool (self)))
    return GST_FLOW_ERROR;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("could not map a buffer"));
    return GST_FLOW_ERROR;
  }
  written = symbl_spool_write (self->spool, map.data, map.size,
      advance_end_time (self, buffer), &error);
  gst_buffer_unmap (buffer, &map);
  if (!written) {
    post_write_error (self, error);
    g_error_free (error);
    return GST_FLOW_ERROR;
  }
  warn_if_too_long (self);
  return GST_FLOW_OK;
}

/* Muxers that rewrite their header at EOS (wavenc, flacenc, mp4mux) send a
 * byte-format segment to move the write position, as to filesink. */
static gboolean
handle_segment (GstSymblUploadSink * self, GstEvent * event)
{
  const GstSegment *segment;
  GError *error = NULL;

  gst_event_parse_segment (event, &segment);
  if (segment->format != GST_FORMAT_BYTES || self->write_failed)
    return TRUE;
  if (!self->spool && segment->start == 0)
    return TRUE;
  if (!self->spool && !open_spool (self))
    return FALSE;
  GST_DEBUG_OBJECT (self, "seeking to byte %" G_GUINT64_FORMAT, segment->start);
  if (!symbl_spool_seek (self->spool, segment->start, &error)) {
    post_write_error (self, error);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* Muxers rewrite their headers only where downstream says it can seek. */
static gboolean
gst_symbl_upload_sink_query (GstBaseSink * sink, GstQuery * query)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  GstFormat format;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_SEEKING:
      gst_query_parse_seeking (query, &format, NULL, NULL, NULL);
      if (format != GST_FORMAT_BYTES)
        break;
      gst_query_set_seeking (query, GST_FORMAT_BYTES, TRUE, 0, -1);
      return TRUE;
    case GST_QUERY_POSITION:
      gst_query_parse_position (query, &format, NULL);
      if (format != GST_FORMAT_BYTES || !self->spool)
        break;
      gst_query_set_position (query, GST_FORMAT_BYTES,
          symbl_spool_get_position (self->spool));
      return TRUE;
    default:
      break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->query (sink, query);
}

static GCancellable *
current_cancellable (GstSymblUploadSink * self)
{
  GCancellable *cancellable;

  g_mutex_lock (&self->cancel_lock);
  cancellable = g_object_ref (self->cancellable);
  g_mutex_unlock (&self->cancel_lock);
  return cancellable;
}

/* A WAV cut short by a crash (a kept recording fed back through filesrc)
 * still has wavenc's placeholder sizes: Symbl would hear what they say,
 * not what the file holds. */
static gboolean
repair_cut_short_wav (GstSymblUploadSink * self, GError ** error)
{
  const gchar *path = symbl_spool_get_path (self->spool);
  gboolean repaired;

  if (self->format != symbl_media_format_from_name ("wav"))
    return TRUE;
  if (!symbl_wav_repair (path, &repaired, error))
    return FALSE;
  if (repaired)
    GST_ELEMENT_INFO (self, STREAM, FORMAT, ("The WAV header did not match "
            "the recording's length, as after a crash: its sizes were "
            "repaired from the file's size before the upload"), (NULL));
  return TRUE;
}

/* Closes the spool and works out what it holds. FALSE: nothing to upload
 * (an error is posted). */
static gboolean
finish_recording (GstSymblUploadSink * self)
{
  const gchar *path;
  GError *error = NULL;

  if (!self->spool) {
    symbl_report_nothing_recorded (&self->report);
    return FALSE;
  }

  if (!symbl_spool_close (self->spool, &error))
    goto failed;
  path = symbl_spool_get_path (self->spool);

  if (!self->format) {
    self->format = symbl_media_format_from_file (path, &error);
    if (!self->format && symbl_media_file_is_text (path))
      goto not_media;
    if (!self->format)
      goto failed;
    if (!g_str_has_suffix (path, self->format->extension)
        && !symbl_spool_set_extension (self->spool, self->format->extension,
            &error))
      goto failed;
  }
  /* Named now: the file keeps its name (and its manifest) as Ogg. */
  self->format = symbl_media_format_refine (self->format,
      symbl_spool_get_path (self->spool));

  if (!repair_cut_short_wav (self, &error))
    goto failed;

  if (symbl_media_is_empty (self->format, symbl_spool_get_size (self->spool))) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("The stream ended without any media (%" G_GUINT64_FORMAT
            " bytes of %s container): nothing was uploaded",
            symbl_spool_get_size (self->spool), self->format->name), (NULL));
    drop_entry (self, TRUE);
    symbl_spool_free (g_steal_pointer (&self->spool), TRUE);
    return FALSE;
  }
  save_entry (self, self->spool, SYMBL_OUTBOX_READY);
  return TRUE;

not_media:
  /* Nothing that Symbl could take: there is no recording to keep. */
  post_error (self, GST_STREAM_ERROR, error->code, NULL,
      g_strdup_printf ("%s%s It is not a recording, and was not kept.",
          error->message, symbl_report_full_stop (error->message)), NULL);
  g_error_free (error);
  drop_entry (self, TRUE);
  symbl_spool_free (g_steal_pointer (&self->spool), TRUE);
  return FALSE;

failed:
  path = symbl_spool_get_path (self->spool);
  post_error (self, error->domain == GST_STREAM_ERROR ? GST_STREAM_ERROR :
      GST_RESOURCE_ERROR, error->domain == GST_STREAM_ERROR ? error->code :
      GST_RESOURCE_ERROR_WRITE, symbl_report_spool_details (path),
      g_strdup_printf ("%s%s The recording is kept in %s.", error->message,
          symbl_report_full_stop (error->message), path), NULL);
  g_error_free (error);
  drop_entry (self, FALSE);
  symbl_spool_free (g_steal_pointer (&self->spool), FALSE);
  return FALSE;
}

/* What symblsink counted, or else the span of the timestamps. */
static GstClockTime
recorded_duration (GstSymblUploadSink * self)
{
  SymblStreamInfo info;
  GstClockTime counted = GST_CLOCK_TIME_NONE;

  if (self->stream_info)
    symbl_stream_info_event_parse (self->stream_info, &info, &counted);
  if (GST_CLOCK_TIME_IS_VALID (counted))
    return counted;
  if (!GST_CLOCK_TIME_IS_VALID (self->first_time)
      || !GST_CLOCK_TIME_IS_VALID (self->end_time))
    return GST_CLOCK_TIME_NONE;
  return self->end_time - self->first_time;
}

/* What symblsink told of the recording, or what the caps say. The
 * metadata is the event's: valid until the stream ends. */
static void
stream_info (GstSymblUploadSink * self, SymblStreamInfo * info)
{
  GstClockTime duration;

  if (!self->stream_info || !symbl_stream_info_event_parse (self->stream_info,
          info, &duration)) {
    info->channels = 0;
    info->channel_metadata = NULL;
    info->input_rate = 0;
  }
  if (!info->input_rate)
    info->input_rate = self->caps_rate;
}

/* At EOS, before anything is sent: Symbl would refuse it, after the whole
 * body went out. Kept, its manifest "failed" with the reason, which
 * symbl-outbox send reads and does not send it either. */
static gboolean
refuse_too_long (GstSymblUploadSink * self)
{
  const gchar *path = symbl_spool_get_path (self->spool);
  g_autofree gchar *why = NULL;

  if (!is_too_long (self))
    return FALSE;
  why = g_strdup_printf ("it is %" GST_TIME_FORMAT " long, and Symbl "
      "refuses files longer than 4 hours", GST_TIME_ARGS (recorded_duration
          (self)));
  post_error (self, GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
      symbl_report_spool_details (path), g_strdup_printf ("The recording "
          "was not uploaded: %s. It is kept in %s. Cut it into parts under "
          "4 hours; symblsink does so while recording (segment-duration)",
          why, path), NULL);
  symbl_outbox_entry_set_state (self->entry, SYMBL_OUTBOX_FAILED, why);
  drop_entry (self, FALSE);
  symbl_spool_free (g_steal_pointer (&self->spool), FALSE);
  return TRUE;
}

/* Runs in the streaming thread, inside EOS: EOS goes on only once the
 * job message (or the error) is posted. */
static gboolean
upload_recording (GstSymblUploadSink * self)
{
  SymblUploadCallbacks callbacks = symbl_report_callbacks (&self->report);
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GError) error = NULL;
  SymblResponse response = SYMBL_RESPONSE_INIT;
  SymblJobIds ids = { NULL, NULL };
  SymblSpool *spool;
  const gchar *path;
  guint64 size;
  gboolean keep, ok;

  if (!finish_recording (self) || refuse_too_long (self))
    return FALSE;

  spool = g_steal_pointer (&self->spool);
  path = symbl_spool_get_path (spool);
  size = symbl_spool_get_size (spool);
  cancellable = current_cancellable (self);

  GST_INFO_OBJECT (self, "uploading %s (%" G_GUINT64_FORMAT " bytes)", path,
      size);
  symbl_report_upload_start (&self->report, "the recording", size);
  ok = symbl_upload_send (self->upload, self->entry, &callbacks, &ids,
      &response, cancellable, &error);
  symbl_report_upload_end (&self->report, ok, &ids, error);

  if (ok) {
    keep = symbl_upload_get_keep_spool (self->upload);
    gst_element_post_message (GST_ELEMENT (self),
        symbl_message_job (GST_OBJECT (self), &ids, self->format, size,
            recorded_duration (self), keep ? path : NULL));
  } else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    keep = TRUE;
    GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
        ("The upload was interrupted; the recording is kept in %s", path),
        (NULL), ("spool-location", G_TYPE_STRING, path, NULL));
  } else {
    keep = TRUE;
    symbl_report_upload_error (&self->report, self->format, path, NULL,
        error, &response);
  }
  /* Uploaded: Symbl has it, whatever becomes of the job. */
  drop_entry (self, !keep);
  symbl_spool_free (spool, !keep);

  if (ok && symbl_upload_get_wait_for_job (self->upload))
    ok = symbl_report_follow_job (&self->report, &ids, cancellable);

  symbl_job_ids_clear (&ids);
  symbl_response_clear (&response);
  return ok;
}

static gboolean
gst_symbl_upload_sink_event (GstBaseSink * sink, GstEvent * event)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  gboolean ok = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:
      ok = handle_segment (self, event);
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM_STICKY:
      if (gst_event_has_name (event, SYMBL_STREAM_INFO_EVENT))
        gst_event_replace (&self->stream_info, event);
      break;
    case GST_EVENT_EOS:
      if (!self->write_failed)
        ok = upload_recording (self);
      break;
    default:
      break;
  }
  if (!ok) {
    gst_event_unref (event);
    return FALSE;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

static gboolean
gst_symbl_upload_sink_unlock (GstBaseSink * sink)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);

  g_mutex_lock (&self->cancel_lock);
  g_cancellable_cancel (self->cancellable);
  g_mutex_unlock (&self->cancel_lock);
  return TRUE;
}

static gboolean
gst_symbl_upload_sink_unlock_stop (GstBaseSink * sink)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);

  g_mutex_lock (&self->cancel_lock);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_mutex_unlock (&self->cancel_lock);
  return TRUE;
}

static void
gst_symbl_upload_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  if (prop_id < PROP_SETTINGS_FIRST) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  symbl_settings_set_property (&self->settings,
      prop_id - PROP_SETTINGS_FIRST, value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_symbl_upload_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  if (prop_id < PROP_SETTINGS_FIRST) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  symbl_settings_get_property (&self->settings,
      prop_id - PROP_SETTINGS_FIRST, value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_symbl_upload_sink_finalize (GObject * object)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  symbl_settings_clear (&self->settings);
  gst_clear_event (&self->stream_info);
  symbl_upload_free (self->upload);
  symbl_spool_free (self->spool, FALSE);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->cancel_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_symbl_upload_sink_class_init (GstSymblUploadSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);

  gobject_class->set_property = gst_symbl_upload_sink_set_property;
  gobject_class->get_property = gst_symbl_upload_sink_get_property;
  gobject_class->finalize = gst_symbl_upload_sink_finalize;

  /* Their doc blocks (GstSymblUploadSink:...) are in symblsettings.c. */
  symbl_settings_install_properties (gobject_class, PROP_SETTINGS_FIRST);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Symbl upload sink", "Sink/Network",
      "Uploads an encoded recording to the Symbl.ai Async API and posts the "
      "conversation and job ids",
      "gst-symbl developers <gst-symbl@example.org>");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_change_state);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_set_caps);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_render);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_event);
  basesink_class->query = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_query);
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_unlock);
  basesink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_unlock_stop);

  gst_type_mark_as_plugin_api (SYMBL_TYPE_MODE, 0);
  GST_DEBUG_CATEGORY_INIT (gst_symbl_upload_sink_debug, "symbluploadsink", 0,
      "Symbl upload sink");
}

static void
gst_symbl_upload_sink_init (GstSymblUploadSink * self)
{
  symbl_settings_init (&self->settings);
  g_mutex_init (&self->cancel_lock);
  self->cancellable = g_cancellable_new ();
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}
